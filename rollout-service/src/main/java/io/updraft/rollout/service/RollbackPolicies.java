package io.updraft.rollout.service;

import io.updraft.events.RolloutEvent.CountRule;
import io.updraft.events.RolloutEvent.DeviceHealthRule;
import io.updraft.events.RolloutEvent.RegressionRule;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.SilenceRule;
import io.updraft.rollout.config.RolloutConfig.RollbackPolicyDefaults;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Inputs;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * A rollout's rollback policy: the request's rules over the configured ones, every field resolved, as RolloutCreated
 * carries it to telemetry and the API shows it. A rule given without rate or count keeps the configured ones; a rule
 * with {@code off: true} has neither (telemetry never fails it).
 */
public final class RollbackPolicies {
    static final Duration MAX_WINDOW = Duration.ofDays(30);
    static final Duration MAX_SILENCE = Duration.ofHours(1);

    private RollbackPolicies() {
    }

    public static RollbackPolicy resolve(NewRollout.RollbackRules request, RollbackPolicyDefaults defaults) {
        NewRollout.RollbackRules r = request == null
                ? new NewRollout.RollbackRules(null, null, null, null, null, null, null)
                : request;
        CountRule failedDefault = new CountRule(
                r.failureRateThreshold() != null ? r.failureRateThreshold() : defaults.failureRateThreshold(),
                defaults.failedInstallsCount().orElse(null),
                r.minSampleSize() != null ? r.minSampleSize() : defaults.minSampleSize(),
                defaults.failedInstallsWindow());
        CountRule failed = rule("failedInstalls", r.failedInstalls(), failedDefault);
        CountRule boot = rule("bootFailures", r.bootFailures(), configured(defaults.bootFailures()));

        CountRule unhealthyDefault = configured(defaults.unhealthyDevices());
        NewRollout.UnhealthyDevices u = r.unhealthyDevices();
        CountRule unhealthy = u == null ? unhealthyDefault
                : rule("unhealthyDevices", new NewRollout.Rule(u.rate(), u.count(), u.minSample(), u.window(), u.off()),
                        unhealthyDefault);
        int crashes = u != null && u.crashes() != null ? u.crashes() : defaults.crashes();
        Duration crashWindow = duration("unhealthyDevices.crashWindow", u == null ? null : u.crashWindow(),
                defaults.crashWindow(), MAX_WINDOW);

        CountRule silentDefault = configured(defaults.silentDevices());
        NewRollout.SilentDevices q = r.silentDevices();
        CountRule silent = q == null ? silentDefault
                : rule("silentDevices", new NewRollout.Rule(q.rate(), q.count(), q.minSample(), q.window(), q.off()),
                        silentDefault);
        Duration silence = duration("silentDevices.silence", q == null ? null : q.silence(), defaults.silence(),
                MAX_SILENCE);
        if (silence.isZero()) {
            throw ProblemException.badRequest("silentDevices.silence must be positive");
        }

        NewRollout.CrashRegression c = r.crashRegression();
        RollbackPolicyDefaults.Regression rd = defaults.crashRegression();
        RegressionRule regression = new RegressionRule(
                c != null && c.factor() != null ? c.factor() : rd.factor(),
                c != null && c.floor() != null ? c.floor() : rd.floor(),
                c != null && c.minSample() != null ? c.minSample() : rd.minSample(),
                duration("crashRegression.window", c == null ? null : c.window(), rd.window(), MAX_WINDOW));

        return new RollbackPolicy(failed.rate() == null ? 0 : failed.rate(), failed.minSample(), failed, boot,
                new DeviceHealthRule(unhealthy.rate(), unhealthy.count(), unhealthy.minSample(), unhealthy.window(),
                        crashes, crashWindow),
                new SilenceRule(silent.rate(), silent.count(), silent.minSample(), silent.window(), silence),
                regression);
    }

    private static CountRule configured(RollbackPolicyDefaults.Rule rule) {
        return new CountRule(rule.rate().orElse(null), rule.count().orElse(null), rule.minSample(), rule.window());
    }

    private static CountRule rule(String name, NewRollout.Rule request, CountRule fallback) {
        if (request == null) {
            return fallback;
        }
        Duration window = duration(name + ".window", request.window(), fallback.window(), MAX_WINDOW);
        int minSample = request.minSample() != null ? request.minSample() : fallback.minSample();
        if (Boolean.TRUE.equals(request.off())) {
            if (request.rate() != null || request.count() != null) {
                throw ProblemException.badRequest(name + ": a rule switched off takes no rate or count");
            }
            return new CountRule(null, null, minSample, window);
        }
        boolean limited = request.rate() != null || request.count() != null;
        return new CountRule(limited ? request.rate() : fallback.rate(), limited ? request.count() : fallback.count(),
                minSample, window);
    }

    private static Duration duration(String field, String text, Duration fallback, Duration max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(text);
            return Inputs.duration(field, duration, Duration.ZERO, max);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field + " must be an ISO-8601 duration such as PT10M, got " + text);
        }
    }
}
