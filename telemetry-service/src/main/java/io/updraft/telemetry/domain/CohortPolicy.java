package io.updraft.telemetry.domain;

import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent;
import java.time.Duration;

/**
 * Everything one cohort of a rollout is judged by: the rollout's rules (from its RolloutCreated, else the configured
 * defaults), Argo-style analysis limits, and the cohort's size at creation ({@code cohortDevices}, 0 when unknown): a
 * cohort smaller than a rule's minimum sample is judged on all of its devices. A window of zero means "since the
 * rollout started".
 */
public record CohortPolicy(Limits failedInstalls, Limits bootFailures, Limits unhealthyDevices, int crashLoopCrashes,
        Duration crashLoopWindow, Limits silentDevices, Duration silence, Regression crashRegression,
        int failureLimit, int consecutiveFailures, int cohortDevices) {

    /** Crash-looping needs at most this many crashes: a device keeps this many crash reports per install. */
    public static final int MAX_CRASH_LOOP_CRASHES = 50;

    /**
     * A rule over devices: fails when at least {@code count} devices (null: no count limit) or the share {@code rate}
     * (null: no rate limit) of the judged devices meet it, once the sample is reached; neither set: the rule is off.
     */
    public record Limits(Double rate, Integer count, int minSample, Duration window) {
        public Limits {
            if (rate != null && !(rate > 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("a rule's rate must be in (0, 1], was " + rate);
            }
            if (count != null && count < 1) {
                throw new IllegalArgumentException("a rule's count must be at least 1, was " + count);
            }
            if (minSample < 1) {
                throw new IllegalArgumentException("a rule's minimum sample must be at least 1, was " + minSample);
            }
            window = nonNegative(window, "a rule's window");
        }

        public boolean off() {
            return rate == null && count == null;
        }
    }

    /** Crashes per report on the new release at least {@code factor} x the baseline (never below {@code floor}). */
    public record Regression(double factor, double floor, int minSample, Duration window) {
        public Regression {
            if (!(factor > 1.0) || !(floor > 0.0)) {
                throw new IllegalArgumentException("crash regression factor must be > 1 and the floor > 0");
            }
            if (minSample < 1) {
                throw new IllegalArgumentException("crash regression minimum sample must be at least 1");
            }
            window = nonNegative(window, "the crash regression window");
        }
    }

    public CohortPolicy {
        if (crashLoopCrashes < 1 || crashLoopCrashes > MAX_CRASH_LOOP_CRASHES) {
            throw new IllegalArgumentException("crashes that make a crash loop must be 1.." + MAX_CRASH_LOOP_CRASHES
                    + ", was " + crashLoopCrashes);
        }
        crashLoopWindow = nonNegative(crashLoopWindow, "the crash-loop window");
        silence = nonNegative(silence, "the silence after install");
        if (silence.isZero()) {
            throw new IllegalArgumentException("the silence after install must be positive");
        }
        if (failureLimit < 0 || consecutiveFailures < 0 || cohortDevices < 0) {
            throw new IllegalArgumentException("failure limit, consecutive failures and cohort size must not be"
                    + " negative");
        }
    }

    /** These rules with the rollout's over them (null: these). */
    public CohortPolicy over(RollbackPolicy policy) {
        if (policy == null) {
            return this;
        }
        Limits failed = policy.failedInstalls() != null ? limits(policy.failedInstalls())
                : new Limits(policy.failureRateThreshold(), failedInstalls.count(), policy.minSampleSize(),
                        failedInstalls.window());
        Limits boot = policy.bootFailures() != null ? limits(policy.bootFailures()) : bootFailures;
        Limits unhealthy = unhealthyDevices;
        int crashes = crashLoopCrashes;
        Duration crashWindow = crashLoopWindow;
        if (policy.unhealthyDevices() != null) {
            RolloutEvent.DeviceHealthRule rule = policy.unhealthyDevices();
            unhealthy = new Limits(rule.rate(), rule.count(), rule.minSample(), rule.window());
            crashes = rule.crashes();
            crashWindow = rule.crashWindow();
        }
        Limits silent = silentDevices;
        Duration silentFor = silence;
        if (policy.silentDevices() != null) {
            RolloutEvent.SilenceRule rule = policy.silentDevices();
            silent = new Limits(rule.rate(), rule.count(), rule.minSample(), rule.window());
            silentFor = rule.silence();
        }
        Regression regression = crashRegression;
        if (policy.crashRegression() != null) {
            RolloutEvent.RegressionRule rule = policy.crashRegression();
            regression = new Regression(rule.factor(), rule.floor(), rule.minSample(), rule.window());
        }
        return new CohortPolicy(failed, boot, unhealthy, crashes, crashWindow, silent, silentFor, regression,
                failureLimit, consecutiveFailures, cohortDevices);
    }

    private static Limits limits(RolloutEvent.CountRule rule) {
        return new Limits(rule.rate(), rule.count(), rule.minSample(), rule.window());
    }

    public CohortPolicy withFailedInstalls(Limits limits) {
        return new CohortPolicy(limits, bootFailures, unhealthyDevices, crashLoopCrashes, crashLoopWindow,
                silentDevices, silence, crashRegression, failureLimit, consecutiveFailures, cohortDevices);
    }

    public CohortPolicy withAnalysis(int failureLimit, int consecutiveFailures) {
        return new CohortPolicy(failedInstalls, bootFailures, unhealthyDevices, crashLoopCrashes, crashLoopWindow,
                silentDevices, silence, crashRegression, failureLimit, consecutiveFailures, cohortDevices);
    }

    public CohortPolicy withCohortDevices(int devices) {
        return new CohortPolicy(failedInstalls, bootFailures, unhealthyDevices, crashLoopCrashes, crashLoopWindow,
                silentDevices, silence, crashRegression, failureLimit, consecutiveFailures, devices);
    }

    /** The sample a rule needs in this cohort: its minimum, or the whole cohort when that is smaller. */
    public long sampleFor(int minSample) {
        return cohortDevices > 0 ? Math.min(minSample, cohortDevices) : minSample;
    }

    public Duration windowOf(PolicyRule rule) {
        return switch (rule) {
            case FAILED_INSTALLS -> failedInstalls.window();
            case BOOT_FAILURES -> bootFailures.window();
            case UNHEALTHY_DEVICES -> unhealthyDevices.window();
            case SILENT_DEVICES -> silentDevices.window();
            case CRASH_REGRESSION -> crashRegression.window();
        };
    }

    private static Duration nonNegative(Duration duration, String what) {
        Duration d = duration == null ? Duration.ZERO : duration;
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return d;
    }
}
