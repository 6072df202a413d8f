package io.updraft.rollout.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.DeviceReport;
import io.updraft.events.MaintenanceWindow;
import io.updraft.rollout.domain.ApprovalPolicy;
import io.updraft.rollout.domain.ErrorAction;
import io.updraft.rollout.domain.MaintenanceWindows;
import io.updraft.rollout.domain.WaveGroup;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.rollout.domain.filter.Filter;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.rollout.domain.filter.FilterSyntaxException;
import io.updraft.rollout.persistence.TargetSelection;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Inputs;
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
        Duration actionDeadline, Duration confirmationDeadline) {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    static RolloutSpec of(NewRollout request, int defaultCanaryPerCohort, Duration defaultSoakTime,
            Duration defaultWaveTimeout) {
        Set<Integer> approvals = new TreeSet<>();
        WaveSchedule schedule = readWaves(request.waves(), approvals);
        if (schedule.grouped() && Boolean.TRUE.equals(request.dynamic())) {
            throw ProblemException.badRequest("a dynamic rollout takes percentage waves, not groups: a device that"
                    + " joins later is not placed in a group");
        }
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
                positive("waveTimeout", request.waveTimeout(), defaultWaveTimeout, MAX_WAVE_TIMEOUT),
                startAt(request.startAt()), window(request.maintenanceWindow()),
                positive("actionDeadline", request.actionDeadline(), null, MAX_ACTION_DEADLINE),
                confirmationDeadline(request));
    }

    /** Only a rollout whose devices are asked to confirm has a deadline for their answer. */
    private static Duration confirmationDeadline(NewRollout request) {
        Duration deadline = positive("confirmationDeadline", request.confirmationDeadline(), null,
                MAX_ACTION_DEADLINE);
        if (deadline != null && !Boolean.TRUE.equals(request.confirmationRequired())) {
            throw ProblemException.badRequest(
                    "confirmationDeadline needs confirmationRequired: true (no device is asked to confirm)");
        }
        return deadline;
    }

    TargetSelection selection() {
        return new TargetSelection(target, filter, releaseId, cohortBy);
    }

    /** Bounds of the durations a rollout takes (README: "Validation and dead letters"). */
    static final Duration MAX_SOAK_TIME = Duration.ofDays(30);
    static final Duration MAX_WAVE_TIMEOUT = Duration.ofDays(90);
    static final Duration MAX_ACTION_DEADLINE = Duration.ofDays(365);
    static final Duration MAX_START_AHEAD = Duration.ofDays(366);

    private static final Set<String> WAVE_FIELDS = Set.of("percent", "approval", "successThreshold",
            "errorThreshold", "errorAction");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "filter");

    /**
     * Reads {@code waves}: every entry a percentage ({@code 20} or {@code {"percent": 20, ...}}), or every entry an
     * explicit group ({@code {"name": "lab", "filter": ..., "percent"?: 100, ...}} — an object with a name or a
     * filter is a group); either may carry {@code approval}, {@code successThreshold}, {@code errorThreshold} and
     * {@code errorAction}. Mixing the two forms is a 400.
     */
    private static WaveSchedule readWaves(List<JsonNode> nodes, Set<Integer> approvals) {
        if (nodes == null) {
            return WaveSchedule.SINGLE_WAVE;
        }
        if (nodes.isEmpty()) {
            // an empty list is more likely a CI variable that expanded to nothing than a wish for one 100 % wave
            throw ProblemException.badRequest("waves must name at least one wave; leave it out for a single 100 % wave");
        }
        List<Integer> percents = new ArrayList<>();
        List<WaveGroup> groups = new ArrayList<>();
        List<WaveRules> rules = new ArrayList<>();
        int firstPercentage = -1;
        int firstGroup = -1;
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (node == null || !node.isObject()) {
                if (node == null || !node.isInt()) {
                    throw badWave(i, node);
                }
                firstPercentage = firstPercentage < 0 ? i : firstPercentage;
                percents.add(node.intValue());
                rules.add(WaveRules.NONE);
                continue;
            }
            boolean group = node.has("name") || node.has("filter");
            for (java.util.Iterator<String> fields = node.fieldNames(); fields.hasNext();) {
                String field = fields.next();
                if (!WAVE_FIELDS.contains(field) && !(group && GROUP_FIELDS.contains(field))) {
                    throw badWave(i, node);
                }
            }
            JsonNode percent = node.get("percent");
            JsonNode approval = node.get("approval");
            if ((percent == null && !group) || (percent != null && !percent.isInt())
                    || (approval != null && !approval.isBoolean())) {
                throw badWave(i, node);
            }
            percents.add(percent == null ? 100 : percent.intValue());
            if (approval != null && approval.booleanValue()) {
                approvals.add(i + 1);
            }
            rules.add(rules(i, node));
            if (group) {
                firstGroup = firstGroup < 0 ? i : firstGroup;
                groups.add(group(i, node));
            } else {
                firstPercentage = firstPercentage < 0 ? i : firstPercentage;
            }
        }
        if (firstPercentage >= 0 && firstGroup >= 0) {
            throw ProblemException.badRequest("waves cannot mix percentages and groups: waves[" + firstPercentage
                    + "] is a percentage, waves[" + firstGroup + "] is a group (it has a name or a filter); give"
                    + " every wave a name (and a filter if it has one), or none");
        }
        try {
            return new WaveSchedule(percents, groups, rules);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    private static WaveRules rules(int index, JsonNode node) {
        Double success = threshold(index, node, "successThreshold");
        Double error = threshold(index, node, "errorThreshold");
        JsonNode action = node.get("errorAction");
        ErrorAction errorAction = null;
        if (action != null) {
            String text = action.isTextual() ? action.textValue().strip().toUpperCase(java.util.Locale.ROOT) : "";
            errorAction = java.util.Arrays.stream(ErrorAction.values()).filter(a -> a.name().equals(text)).findFirst()
                    .orElseThrow(() -> ProblemException.badRequest("waves[" + index + "].errorAction must be PAUSE or"
                            + " ABORT, got " + action));
        }
        return new WaveRules(success, error, errorAction);
    }

    private static Double threshold(int index, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1) {
            throw ProblemException.badRequest("waves[" + index + "]." + field + " must be a number between 0 and 1,"
                    + " got " + value);
        }
        return value.doubleValue();
    }

    private static WaveGroup group(int index, JsonNode node) {
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.textValue().isBlank()
                || name.textValue().length() > WaveGroup.MAX_NAME_LENGTH) {
            throw ProblemException.badRequest("waves[" + index + "] is a group and needs a \"name\" of 1.."
                    + WaveGroup.MAX_NAME_LENGTH + " characters; got " + node);
        }
        String groupName = name.textValue().strip();
        JsonNode filter = node.get("filter");
        if (filter != null && !filter.isNull() && !filter.isTextual()) {
            throw ProblemException.badRequest("waves[" + index + "] (group \"" + groupName + "\"): filter must be"
                    + " a string, got " + filter);
        }
        String text = filter == null || filter.isNull() || filter.textValue().isBlank() ? null : filter.textValue();
        if (text == null) {
            return new WaveGroup(groupName, null, null);
        }
        try {
            return new WaveGroup(groupName, text, FilterParser.parse(text));
        } catch (FilterSyntaxException e) {
            throw ProblemException.badRequest("waves[" + index + "] (group \"" + groupName + "\"): "
                    + e.getMessage());
        }
    }

    private static ProblemException badWave(int index, JsonNode node) {
        return ProblemException.badRequest("waves[" + index + "] must be a percentage such as 20, or"
                + " {\"percent\": 20, \"approval\": true, \"successThreshold\": 0.9, \"errorThreshold\": 0.05,"
                + " \"errorAction\": \"ABORT\"} (each field but percent optional), or a group {\"name\": \"lab\","
                + " \"filter\": \"region == \\\"lab\\\"\", \"percent\": 100, ...}; got " + node);
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

    private static Duration positive(String field, String text, Duration fallback, Duration max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative() || duration.isZero()) {
                throw ProblemException.badRequest(field + " must be positive: " + text);
            }
            return Inputs.duration(field, duration, Duration.ofSeconds(1), max);
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
            Instant at = Instant.parse(text).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            if (at.isAfter(Instant.now().plus(MAX_START_AHEAD))) {
                throw ProblemException.badRequest("startAt must be at most " + MAX_START_AHEAD.toDays()
                        + " days ahead, got " + text);
            }
            return at;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    "startAt must be an ISO-8601 instant such as 2026-11-28T02:00:00Z, got " + text);
        }
    }

    private static MaintenanceWindow window(NewRollout.Window request) {
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
            return Inputs.duration("soakTime", soak, Duration.ZERO, MAX_SOAK_TIME);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("soakTime must be an ISO-8601 duration such as PT30S, got " + text);
        }
    }
}
