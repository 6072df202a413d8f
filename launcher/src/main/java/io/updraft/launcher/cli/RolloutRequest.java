package io.updraft.launcher.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/rollouts} and {@code /preview} as the CLI sends it: typed, with only what was given
 * (absent fields are the service's defaults). Field names are the service's; rollout-service's README documents them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RolloutRequest(String releaseId, String name, List<WaveSpec> waves, Map<String, String> target, String filter,
        String approval, Integer canaryPerCohort, List<String> cohortBy, String soakTime, Double errorThreshold,
        Double successThreshold, String actionType, Integer errorMinSample, RollbackPolicy rollbackPolicy,
        String startAt, String waveTimeout, MaintenanceWindow maintenanceWindow, String actionDeadline,
        Integer retries, Boolean dynamic, String rollbackRelease, HealthGate healthGate, RolloutRate rolloutRate,
        String errorAction, Boolean confirmationRequired, String confirmationDeadline) {

    RolloutRequest named(String newName) {
        return new RolloutRequest(releaseId, newName, waves, target, filter, approval, canaryPerCohort, cohortBy,
                soakTime, errorThreshold, successThreshold, actionType, errorMinSample, rollbackPolicy, startAt,
                waveTimeout, maintenanceWindow, actionDeadline, retries, dynamic, rollbackRelease, healthGate,
                rolloutRate, errorAction, confirmationRequired, confirmationDeadline);
    }

    /** One entry of {@code waves}: a bare cumulative percentage, a wave with options, or a named group. */
    sealed interface WaveSpec permits Percent, Wave, Group {
    }

    /** {@code --waves 10,50,100}: written as the bare number. */
    record Percent(@JsonValue int percent) implements WaveSpec {
    }

    /** {@code --wave 10:success=0.9:error=0.05:action=abort}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Wave(Integer percent, Boolean approval, Double successThreshold, Double errorThreshold, String errorAction)
            implements WaveSpec {
    }

    /** {@code --group eu:region == "eu":50%:approval}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Group(String name, String filter, Integer percent, Boolean approval, Double successThreshold,
            Double errorThreshold, String errorAction) implements WaveSpec {
    }

    /** The wave options {@code --wave} and {@code --group} share. */
    record WaveOptions(Integer percent, Boolean approval, Double successThreshold, Double errorThreshold,
            String errorAction) {
        static final WaveOptions NONE = new WaveOptions(null, null, null, null, null);

        WaveOptions withPercent(int value) {
            return new WaveOptions(value, approval, successThreshold, errorThreshold, errorAction);
        }

        WaveOptions withApproval() {
            return new WaveOptions(percent, true, successThreshold, errorThreshold, errorAction);
        }

        WaveOptions withSuccess(double value) {
            return new WaveOptions(percent, approval, value, errorThreshold, errorAction);
        }

        WaveOptions withError(double value) {
            return new WaveOptions(percent, approval, successThreshold, value, errorAction);
        }

        WaveOptions withAction(String value) {
            return new WaveOptions(percent, approval, successThreshold, errorThreshold, value);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RollbackPolicy(Double failureRateThreshold, Integer minSampleSize, RuleSettings failedInstalls,
            RuleSettings bootFailures, RuleSettings unhealthyDevices, RuleSettings silentDevices,
            RuleSettings crashRegression) {
    }

    /** One rule's settings; which keys a rule takes is checked where {@code --rollback-rule} is parsed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RuleSettings(Double rate, Integer count, Integer minSample, String window, Integer crashes,
            String crashWindow, String silence, Double factor, Double floor, Boolean off) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MaintenanceWindow(String schedule, String duration, String timezone) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthGate(Double maxFailureRate, Double maxUnhealthyRatio, Double maxCrashesPerReport, Integer minReports,
            Boolean requireWindow) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutRate(Integer maximumPerMinute, Ramp exponentialRate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ramp(Integer baseRatePerMinute, Double incrementFactor, Criteria rateIncreaseCriteria) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Criteria(Integer numberOfNotifiedThings, Integer numberOfSucceededThings) {
    }
}
