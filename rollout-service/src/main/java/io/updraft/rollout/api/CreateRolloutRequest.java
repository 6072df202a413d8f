package io.updraft.rollout.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.ActionType;
import io.updraft.rollout.domain.ApprovalPolicy;
import io.updraft.rollout.domain.ErrorAction;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.rollout.service.NewRollout;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of POST /api/v1/rollouts (and of its preview); everything but releaseId has a default.
 *
 * @param waves cumulative percentages, each either a number ({@code 20}) or {@code {"percent": 20, "approval": true}}
 * @param filter filter expression over attributes and installed version, combined with {@code target} by "and"
 * @param cohortBy attributes that cut each hardware cohort into canary strata
 * @param canaryPerCohort devices of every stratum wave 1 takes at least (0: percentages only)
 * @param approval which waves wait for {@code POST /rollouts/{id}/approve}, besides the ones flagged in {@code waves}
 * @param waveTimeout ISO-8601 duration after which a wave is judged on what finished (offline devices stay pending)
 * @param startAt ISO-8601 instant: the rollout waits in SCHEDULED until then
 * @param maintenanceWindow forwarded to the gateway on every install of the rollout's waves
 * @param actionDeadline ISO-8601 duration: each install expires this long after its wave started
 * @param dynamic devices that register or start matching later join the running (or next) wave
 * @param retries how often a failed install is sent again (a new action) before it counts as failed; default 0
 * @param errorAction what a soaked wave failing above its error threshold does: PAUSE (default) or ABORT; a wave
 *        object may override it, like its {@code successThreshold} and {@code errorThreshold}. A wave object may also
 *        be an explicit group: {@code {"name": "lab", "filter": "region == \"lab\"", "percent": 100}}
 * @param errorMinSample judged devices a soaked wave needs before its error threshold applies (a smaller wave: all
 *        of them); independent of the rollback policy's samples
 * @param rollbackPolicy how telemetry judges each hardware cohort; see {@link RollbackPolicyRequest}
 * @param healthGate bounds on telemetry's health windows while a wave runs and soaks (see {@link HealthGateRequest})
 * @param rollbackRelease release id a rolled-back cohort's devices get instead of the one each ran before (also
 *        devices with no known previous release); must be in the catalog, not revoked, and accept every hardware
 *        (model, revision) of the target set
 * @param confirmationRequired each device must confirm its install before it gets it (hawkBit's confirmation flow:
 *        the gateway offers it under {@code confirmationBase} unless the device has auto-confirm on); default false.
 *        Rollback installs never wait for a confirmation
 * @param confirmationDeadline ISO-8601 duration, only with {@code confirmationRequired}: a device that has neither
 *        confirmed nor denied its install this long after its wave started (a retry or a late joiner: after it was
 *        sent) has the action ended EXPIRED; default none (the action waits until {@code actionDeadline}, if any)
 */
public record CreateRolloutRequest(
        @SafeText(max = 200) String name,
        @NotBlank @Identifier(max = 64) String releaseId,
        @Size(max = 20) Map<@NotNull @Identifier(max = 100) String, @NotNull @SafeText(max = 1024) String> target,
        @Size(max = 100) List<JsonNode> waves,
        @DecimalMin("0.0") @DecimalMax("1.0") Double errorThreshold,
        @Min(1) @Max(1000000) Integer errorMinSample,
        @DecimalMin("0.0") @DecimalMax("1.0") Double successThreshold,
        @SafeText(max = 50) String soakTime,
        ActionType actionType,
        @Valid RollbackPolicyRequest rollbackPolicy,
        @SafeText(max = FilterParser.MAX_LENGTH, multiline = true) String filter,
        @Size(max = 5) List<@NotBlank @SafeText(max = 100) String> cohortBy,
        @Min(0) @Max(10000) Integer canaryPerCohort,
        ApprovalPolicy approval,
        @SafeText(max = 50) String waveTimeout,
        @SafeText(max = 50) String startAt,
        @Valid MaintenanceWindowRequest maintenanceWindow,
        @SafeText(max = 50) String actionDeadline,
        @Min(0) @Max(10) Integer retries,
        Boolean dynamic,
        ErrorAction errorAction,
        @Valid HealthGateRequest healthGate,
        @Identifier(max = 64) String rollbackRelease,
        @Valid RolloutRateRequest rolloutRate,
        Boolean confirmationRequired,
        @SafeText(max = 50) String confirmationDeadline) {

    /** What the service creates or previews from this body (the fields as they are; the service checks them). */
    public NewRollout toNewRollout() {
        return new NewRollout(name, releaseId, target, waves, errorThreshold, errorMinSample, successThreshold,
                soakTime, actionType, rollbackPolicy == null ? null : rollbackPolicy.toRules(), filter, cohortBy,
                canaryPerCohort, approval, waveTimeout, startAt,
                maintenanceWindow == null ? null
                        : new NewRollout.Window(maintenanceWindow.schedule(), maintenanceWindow.duration(),
                                maintenanceWindow.timezone()),
                actionDeadline, retries, dynamic, errorAction,
                healthGate == null ? null
                        : new NewRollout.GateBounds(healthGate.maxFailureRate(), healthGate.maxUnhealthyRatio(),
                                healthGate.maxCrashesPerReport(), healthGate.minReports(), healthGate.requireWindow()),
                rollbackRelease, rolloutRate == null ? null : rolloutRate.toRate(), confirmationRequired,
                confirmationDeadline);
    }

    /**
     * How fast each wave's installs are sent (AWS IoT Jobs' {@code jobExecutionsRolloutConfig}): at most
     * {@code maximumPerMinute}; with {@code exponentialRate}, starting at {@code baseRatePerMinute} and multiplied by
     * {@code incrementFactor} (1.1..5) each time another {@code rateIncreaseCriteria} devices were notified or
     * succeeded. Each wave starts at the base rate.
     */
    public record RolloutRateRequest(Integer maximumPerMinute, @Valid ExponentialRateRequest exponentialRate) {
        NewRollout.Rate toRate() {
            ExponentialRateRequest e = exponentialRate;
            RateIncreaseCriteria c = e == null ? null : e.rateIncreaseCriteria();
            return new NewRollout.Rate(maximumPerMinute, e == null ? null
                    : new NewRollout.ExponentialRate(e.baseRatePerMinute(), e.incrementFactor(), c == null ? null
                            : new NewRollout.RateIncrease(c.numberOfNotifiedThings(), c.numberOfSucceededThings())));
        }
    }

    public record ExponentialRateRequest(Integer baseRatePerMinute, Double incrementFactor,
            @Valid RateIncreaseCriteria rateIncreaseCriteria) {
    }

    public record RateIncreaseCriteria(Integer numberOfNotifiedThings, Integer numberOfSucceededThings) {
    }

    /**
     * When devices may install: windows open whenever the Quartz cron {@code schedule} fires in {@code timezone}
     * (default UTC) and stay open for {@code duration} (ISO-8601, e.g. PT2H).
     */
    public record MaintenanceWindowRequest(@SafeText(max = 200) String schedule, @SafeText(max = 50) String duration,
            @SafeText(max = 100) String timezone) {
    }

    /**
     * How telemetry judges each hardware cohort (rollout-service README, "Rollback policy"); what is left out comes
     * from {@code updraft.rollout.rollback-policy.*}. {@code failureRateThreshold} and {@code minSampleSize} are
     * {@code failedInstalls}' rate and minimum sample (kept for older clients; {@code failedInstalls} wins).
     */
    public record RollbackPolicyRequest(
            @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") Double failureRateThreshold,
            @Min(1) @Max(1000000) Integer minSampleSize,
            @Valid RuleRequest failedInstalls,
            @Valid RuleRequest bootFailures,
            @Valid UnhealthyDevicesRequest unhealthyDevices,
            @Valid SilentDevicesRequest silentDevices,
            @Valid CrashRegressionRequest crashRegression) {
        NewRollout.RollbackRules toRules() {
            UnhealthyDevicesRequest u = unhealthyDevices;
            SilentDevicesRequest q = silentDevices;
            CrashRegressionRequest c = crashRegression;
            return new NewRollout.RollbackRules(failureRateThreshold, minSampleSize, RuleRequest.toRule(failedInstalls),
                    RuleRequest.toRule(bootFailures), u == null ? null
                            : new NewRollout.UnhealthyDevices(u.rate(), u.count(), u.minSample(), u.window(), u.off(),
                                    u.crashes(), u.crashWindow()),
                    q == null ? null
                            : new NewRollout.SilentDevices(q.rate(), q.count(), q.minSample(), q.window(), q.off(),
                                    q.silence()),
                    c == null ? null
                            : new NewRollout.CrashRegression(c.factor(), c.floor(), c.minSample(), c.window()));
        }
    }

    /**
     * A rule over devices: it fails when at least {@code count} devices, or the share {@code rate} of the judged ones,
     * meet it ({@code rate} needs {@code minSample} judged, or the whole of a smaller cohort); {@code off: true}
     * switches the rule off; {@code window} ISO-8601 (PT0S: since the rollout started).
     */
    public record RuleRequest(@DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") Double rate,
            @Min(1) @Max(1000000) Integer count, @Min(1) @Max(1000000) Integer minSample,
            @SafeText(max = 50) String window, Boolean off) {
        static NewRollout.Rule toRule(RuleRequest r) {
            return r == null ? null : new NewRollout.Rule(r.rate(), r.count(), r.minSample(), r.window(), r.off());
        }
    }

    /** unhealthyDevices: as a rule, plus what makes a crash loop: {@code crashes} within {@code crashWindow}. */
    public record UnhealthyDevicesRequest(@DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") Double rate,
            @Min(1) @Max(1000000) Integer count, @Min(1) @Max(1000000) Integer minSample,
            @SafeText(max = 50) String window, Boolean off, @Min(1) @Max(50) Integer crashes,
            @SafeText(max = 50) String crashWindow) {
    }

    /** silentDevices: as a rule, plus how long after reporting installed a device may stay silent. */
    public record SilentDevicesRequest(@DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") Double rate,
            @Min(1) @Max(1000000) Integer count, @Min(1) @Max(1000000) Integer minSample,
            @SafeText(max = 50) String window, Boolean off, @SafeText(max = 50) String silence) {
    }

    /** crashRegression: crashes per report at least {@code factor} x the previous release's (floor {@code floor}). */
    public record CrashRegressionRequest(@DecimalMin(value = "1.0", inclusive = false) @DecimalMax("1000") Double factor,
            @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1000") Double floor,
            @Min(1) @Max(1000000) Integer minSample, @SafeText(max = 50) String window) {
    }

    /**
     * Bounds telemetry's health windows must keep while a wave runs and soaks (each optional; what is left out comes
     * from {@code updraft.rollout.health-gate.*}): per ACTIVE cohort, since the wave started, failed / installs,
     * unhealthy / health reports, crashes / health reports; a ratio is judged on at least {@code minReports}
     * installs or health reports. {@code requireWindow}: a soaked wave advances only after a window that ended
     * after its soak began arrived.
     */
    public record HealthGateRequest(
            @DecimalMin("0.0") @DecimalMax("1.0") Double maxFailureRate,
            @DecimalMin("0.0") @DecimalMax("1.0") Double maxUnhealthyRatio,
            @DecimalMin("0.0") Double maxCrashesPerReport,
            @Min(1) @Max(1000000) Integer minReports,
            Boolean requireWindow) {
    }
}
