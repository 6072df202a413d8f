package io.updraft.rollout.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.DeviceReport;
import io.updraft.events.MaintenanceWindow;
import io.updraft.rollout.domain.MaintenanceWindows;
import io.updraft.rollout.domain.ApprovalPolicy;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.rollout.filter.Filter;
import io.updraft.rollout.filter.FilterParser;
import io.updraft.rollout.filter.FilterSyntaxException;
import io.updraft.rollout.repository.TargetSelection;
import io.updraft.rollout.rest.CreateRolloutRequest;
import io.updraft.support.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A rollout request checked and completed with the defaults: what creation and preview both work from. Every
 * refusal is a 400 problem thrown before anything is read or written.
 */
record RolloutSpec(String releaseId, Map<String, String> target, String filterText, Filter filter,
        List<String> cohortBy, int canaryPerCohort, WaveSchedule schedule, Set<Integer> approvals,
        Duration soakTime, Duration waveTimeout, Instant startAt, MaintenanceWindow maintenanceWindow,
        Duration actionDeadline) {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    static RolloutSpec of(CreateRolloutRequest request, int defaultCanaryPerCohort, Duration defaultSoakTime,
            Duration defaultWaveTimeout) {
        List<Integer> percents = new ArrayList<>();
        Set<Integer> approvals = new TreeSet<>();
        readWaves(request.waves(), percents, approvals);
        WaveSchedule schedule = schedule(percents);
        ApprovalPolicy policy = request.approval() == null ? ApprovalPolicy.NONE : request.approval();
        for (int wave = 1; wave <= schedule.count(); wave++) {
            if (policy.requires(wave)) {
                approvals.add(wave);
            }
        }
        String filterText = request.filter() == null || request.filter().isBlank() ? null : request.filter();
        Filter filter = null;
        if (filterText != null) {
            try {
                filter = FilterParser.parse(filterText);
            } catch (FilterSyntaxException e) {
                throw ProblemException.badRequest(e.getMessage());
            }
        }
        return new RolloutSpec(request.releaseId(), request.target() == null ? Map.of() : request.target(), filterText,
                filter, cohortBy(request.cohortBy()),
                request.canaryPerCohort() == null ? defaultCanaryPerCohort : request.canaryPerCohort(), schedule,
                Set.copyOf(approvals), soakTime(request.soakTime(), defaultSoakTime),
                positive("waveTimeout", request.waveTimeout(), defaultWaveTimeout), startAt(request.startAt()),
                window(request.maintenanceWindow()), positive("actionDeadline", request.actionDeadline(), null));
    }

    TargetSelection selection() {
        return new TargetSelection(target, filter, releaseId, cohortBy);
    }

    private static void readWaves(List<JsonNode> nodes, List<Integer> percents, Set<Integer> approvals) {
        if (nodes == null) {
            return;
        }
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            JsonNode percent = node != null && node.isObject() ? node.get("percent") : node;
            JsonNode approval = node != null && node.isObject() ? node.get("approval") : null;
            boolean known = node == null || !node.isObject() || node.size() == (approval == null ? 1 : 2);
            if (percent == null || !percent.isInt() || !known
                    || (approval != null && !approval.isBoolean())) {
                throw ProblemException.badRequest("waves[" + i + "] must be a percentage such as 20, or"
                        + " {\"percent\": 20, \"approval\": true}; got " + node);
            }
            percents.add(percent.intValue());
            if (approval != null && approval.booleanValue()) {
                approvals.add(i + 1);
            }
        }
    }

    private static WaveSchedule schedule(List<Integer> percents) {
        if (percents.isEmpty()) {
            return WaveSchedule.SINGLE_WAVE;
        }
        try {
            return new WaveSchedule(percents);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    /** Model and revision already make the hardware cohort; duplicates are dropped. */
    private static List<String> cohortBy(List<String> names) {
        if (names == null) {
            return List.of();
        }
        Set<String> extra = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !ATTRIBUTE.matcher(name).matches()) {
                throw ProblemException.badRequest("cohortBy takes attribute names (letters, digits, '_', '-', '.'),"
                        + " got " + (name == null ? "null" : "\"" + name + "\""));
            }
            if (!name.equals(DeviceReport.MODEL) && !name.equals(DeviceReport.REVISION)) {
                extra.add(name);
            }
        }
        return List.copyOf(extra);
    }

    private static Duration positive(String field, String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative() || duration.isZero()) {
                throw ProblemException.badRequest(field + " must be positive: " + text);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field + " must be an ISO-8601 duration such as PT6H, got " + text);
        }
    }

    /** A start time already past starts the rollout at once. */
    private static Instant startAt(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            // stored with PostgreSQL's precision, so the event, the row and the view say the same instant
            return Instant.parse(text).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    "startAt must be an ISO-8601 instant such as 2026-11-28T02:00:00Z, got " + text);
        }
    }

    private static MaintenanceWindow window(CreateRolloutRequest.MaintenanceWindowRequest request) {
        if (request == null) {
            return null;
        }
        try {
            return MaintenanceWindows.of(request.schedule(), request.duration(), request.timezone());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    private static Duration soakTime(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration soak = Duration.parse(text);
            if (soak.isNegative()) {
                throw ProblemException.badRequest("soakTime must not be negative: " + text);
            }
            return soak;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("soakTime must be an ISO-8601 duration such as PT30S, got " + text);
        }
    }
}
