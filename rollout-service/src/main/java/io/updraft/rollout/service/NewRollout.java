package io.updraft.rollout.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.ActionType;
import io.updraft.rollout.domain.ApprovalPolicy;
import io.updraft.rollout.domain.ErrorAction;
import java.util.List;
import java.util.Map;

/**
 * A rollout as an operator asks for it, before it is checked and completed with the defaults ({@link RolloutSpec}):
 * what {@link RolloutCreation} creates and previews. Everything but {@code releaseId} may be null (the default); the
 * API's request type says what each field means and bounds what it lets in.
 *
 * @param waves as given: each a percentage or a wave object (number or JSON object), read by {@link RolloutSpec}
 */
public record NewRollout(String name, String releaseId, Map<String, String> target, List<JsonNode> waves,
        Double errorThreshold, Integer errorMinSample, Double successThreshold, String soakTime, ActionType actionType,
        RollbackRules rollbackPolicy, String filter, List<String> cohortBy, Integer canaryPerCohort,
        ApprovalPolicy approval, String waveTimeout, String startAt, Window maintenanceWindow, String actionDeadline,
        Integer retries, Boolean dynamic, ErrorAction errorAction, GateBounds healthGate, String rollbackRelease,
        Rate rolloutRate, Boolean confirmationRequired, String confirmationDeadline) {

    /** How fast each wave's installs are sent; checked by {@link RolloutRates}. */
    public record Rate(Integer maximumPerMinute, ExponentialRate exponentialRate) {
    }

    public record ExponentialRate(Integer baseRatePerMinute, Double incrementFactor,
            RateIncrease rateIncreaseCriteria) {
    }

    public record RateIncrease(Integer numberOfNotifiedThings, Integer numberOfSucceededThings) {
    }

    /** A maintenance window: a Quartz cron, an ISO-8601 duration and a time zone. */
    public record Window(String schedule, String duration, String timezone) {
    }

    /** The rollback policy's rules as asked for; {@link RollbackPolicies} completes them with the configured ones. */
    public record RollbackRules(Double failureRateThreshold, Integer minSampleSize, Rule failedInstalls,
            Rule bootFailures, UnhealthyDevices unhealthyDevices, SilentDevices silentDevices,
            CrashRegression crashRegression) {
    }

    public record Rule(Double rate, Integer count, Integer minSample, String window, Boolean off) {
    }

    public record UnhealthyDevices(Double rate, Integer count, Integer minSample, String window, Boolean off,
            Integer crashes, String crashWindow) {
    }

    public record SilentDevices(Double rate, Integer count, Integer minSample, String window, Boolean off,
            String silence) {
    }

    public record CrashRegression(Double factor, Double floor, Integer minSample, String window) {
    }

    /** The health gate's bounds as asked for; {@link HealthGate} completes them with the configured ones. */
    public record GateBounds(Double maxFailureRate, Double maxUnhealthyRatio, Double maxCrashesPerReport,
            Integer minReports, Boolean requireWindow) {
    }
}
