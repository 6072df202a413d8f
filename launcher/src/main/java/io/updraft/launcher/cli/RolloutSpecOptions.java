package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What a rollout is: the options {@code rollout create} and {@code rollout preview} share, as the request body. */
final class RolloutSpecOptions {
    @Option(names = "--release", required = true, description = "release id or NAME@VERSION")
    String release;
    @Option(names = "--waves", split = ",", paramLabel = "PERCENT", description = "cumulative percentages,"
            + " e.g. 10,50,100 (default: one wave)")
    List<Integer> waves;
    @Option(names = "--target", paramLabel = "ATTRIBUTE=VALUE", description = "device attributes to match (repeat)")
    Map<String, String> target = new LinkedHashMap<>();
    @Option(names = "--filter", paramLabel = "EXPRESSION", description = "devices to match, e.g."
            + " 'model == \"gw-200\" and version < \"2.0.0\" and region in (\"eu\",\"us\")' (and-ed with --target)")
    String filter;
    @Option(names = "--approval", paramLabel = "POLICY", description = "NONE, BEFORE_EACH_WAVE or"
            + " BEFORE_LATER_WAVES (every wave after the first waits for `rollout approve`)")
    String approval;
    @Option(names = "--canary-per-cohort", paramLabel = "N", description = "devices of every cohort in wave 1"
            + " (service default 3; 0 = percentages only)")
    Integer canaryPerCohort;
    @Option(names = "--cohort-by", paramLabel = "ATTRIBUTE", description = "split the canary's cohorts further by"
            + " this attribute (repeat)")
    List<String> cohortBy = new ArrayList<>();
    @Option(names = "--soak", description = "ISO-8601 soak time per wave, e.g. PT10M")
    String soak;
    @Option(names = "--error-threshold", description = "failed share of a wave that pauses the rollout")
    Double errorThreshold;
    @Option(names = "--success-threshold", description = "finished share of a wave before it soaks")
    Double successThreshold;
    @Option(names = "--action-type", description = "FORCED, SOFT, DOWNLOAD_ONLY or TIMEFORCED")
    String actionType;
    @Option(names = "--error-min-sample", paramLabel = "N", description = "judged devices a soaked wave needs before"
            + " --error-threshold applies (a smaller wave: all of them; service default 1)")
    Integer errorMinSample;
    @Option(names = "--rollback-failure-rate", description = "cohort failed-install rate that triggers its rollback"
            + " (the failedInstalls rule's rate)")
    Double rollbackFailureRate;
    @Option(names = "--rollback-min-sample", description = "installs a cohort needs before that rate is judged (a"
            + " smaller cohort: all of its devices)")
    Integer rollbackMinSample;
    @Option(names = "--rollback-rule", paramLabel = "RULE:KEY=VALUE,…|RULE:off", converter = RollbackRuleConverter.class,
            description = "one rule of the rollback policy (repeat): failedInstalls, bootFailures, unhealthyDevices,"
                    + " silentDevices (keys rate, count, minSample, window; unhealthyDevices also crashes and"
                    + " crashWindow; silentDevices also silence) or crashRegression (factor, floor, minSample,"
                    + " window), e.g. unhealthyDevices:rate=0.3,crashes=3,crashWindow=PT10M or bootFailures:count=1")
    List<RollbackRule> rollbackRules = new ArrayList<>();
    @Option(names = "--start-at", paramLabel = "INSTANT", description = "start wave 1 then (ISO-8601, e.g."
            + " 2026-11-28T02:00:00Z); the rollout is SCHEDULED until then")
    String startAt;
    @Option(names = "--wave-timeout", paramLabel = "DURATION", description = "judge a wave on what finished after"
            + " this long, so offline devices never block it (service default PT6H)")
    String waveTimeout;
    @Option(names = "--maintenance-window", paramLabel = "CRON,DURATION[,ZONE]", description = "devices install only"
            + " inside it, e.g. '0 0 2 ? * *,PT2H,Europe/Berlin' (Quartz cron)")
    String maintenanceWindow;
    @Option(names = "--action-deadline", paramLabel = "DURATION", description = "a device's install expires this long"
            + " after its wave started, e.g. PT48H")
    String actionDeadline;
    @Option(names = "--retries", paramLabel = "N", description = "times a failed install is sent again (0-10)")
    Integer retries;
    @Option(names = "--dynamic", description = "devices that register or start matching later join the rollout")
    boolean dynamic;
    @Option(names = "--rollback-release", paramLabel = "RELEASE", description = "id or NAME@VERSION: a rolled-back"
            + " cohort's devices get this release instead of the one each ran before")
    String rollbackRelease;
    @Option(names = "--health-gate", paramLabel = "BOUND=VALUE,…", converter = HealthGateConverter.class,
            description = "telemetry bounds per cohort while a wave runs and soaks, e.g. maxFailureRate=0.05,"
                    + "maxUnhealthyRatio=0.1,maxCrashesPerReport=0.2,minReports=20,requireWindow")
    ObjectNode healthGate;
    @Option(names = "--error-action", paramLabel = "pause|abort", converter = ErrorActionConverter.class,
            description = "what a soaked wave failing above its error threshold does to the rollout (service"
                    + " default pause)")
    String errorAction;
    @Option(names = "--wave", paramLabel = "PERCENT[:OPTION…]", converter = WaveConverter.class,
            description = "a cumulative percentage wave with its own options (repeat, in order; instead of --waves),"
                    + " e.g. 10:success=0.9:error=0.05:action=abort or 50:approval")
    List<ObjectNode> waveSpecs = new ArrayList<>();
    @Option(names = "--group", paramLabel = "NAME[:FILTER][:PERCENT%][:OPTION…]", converter = GroupConverter.class,
            description = "an explicit wave group (repeat, in order; instead of --waves/--wave): it takes PERCENT%%"
                    + " (default 100%%) of the devices matching FILTER (default all) that no earlier group took, e.g."
                    + " 'lab:region == \"lab\"', 'eu:region == \"eu\":50%%:approval', 'rest'")
    List<ObjectNode> groups = new ArrayList<>();
    @Option(names = "--max-per-minute", paramLabel = "N", description = "installs sent per minute at most, per"
            + " wave (rolloutRate.maximumPerMinute; default: as fast as the broker takes them)")
    Integer maxPerMinute;
    @Option(names = "--ramp", paramLabel = "BASE,FACTOR,notified=N|succeeded=N", converter = RampConverter.class,
            description = "exponential rate per wave as AWS IoT Jobs: start at BASE/min, multiply by FACTOR (1.1-5)"
                    + " each time N more devices were notified (or succeeded), up to --max-per-minute;"
                    + " e.g. 50,2,notified=500")
    ObjectNode ramp;
    @Option(names = "--wait-for-release", defaultValue = "PT60S", description = "how long to retry while the"
            + " rollout-service has not yet heard of a just-published release (default PT60S)")
    Duration waitForRelease;

    /**
     * Sends the body and returns the answer; retries for {@code --wait-for-release} while the rollout-service answers
     * that the release is unknown — it learns of a release through Kafka, a moment after CI published it.
     */
    JsonNode send(String what, Function<ObjectNode, HttpResponse<String>> call, ObjectNode body, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + waitForRelease.toNanos();
        while (true) {
            HttpResponse<String> response = call.apply(body);
            if (response.statusCode() == expected) {
                return UpdraftApi.parse(response.body());
            }
            boolean releaseNotYetKnown = response.statusCode() == 422 && response.body().contains("is unknown");
            if (!releaseNotYetKnown || System.nanoTime() > deadline) {
                throw new UpdraftApi.ApiException(what + " answered " + response.statusCode() + ": "
                        + RolloutCommands.detail(response.body()), response.statusCode());
            }
            Thread.sleep(500);
        }
    }

    /** The {@code POST /api/v1/rollouts} (or {@code /preview}) body; only what was given, the service defaults the rest. */
    ObjectNode body(UpdraftApi api) {
        ObjectNode body = UpdraftApi.object().put("releaseId", ReleaseCommands.resolveId(api, release));
        if (waves != null) {
            ArrayNode array = body.putArray("waves");
            waves.forEach(array::add);
        }
        if (!target.isEmpty()) {
            ObjectNode t = body.putObject("target");
            target.forEach(t::put);
        }
        if (filter != null) {
            body.put("filter", filter);
        }
        if (approval != null) {
            body.put("approval", approval.toUpperCase(Locale.ROOT));
        }
        if (canaryPerCohort != null) {
            body.put("canaryPerCohort", canaryPerCohort);
        }
        if (!cohortBy.isEmpty()) {
            ArrayNode array = body.putArray("cohortBy");
            cohortBy.forEach(array::add);
        }
        if (soak != null) {
            body.put("soakTime", soak);
        }
        if (errorThreshold != null) {
            body.put("errorThreshold", errorThreshold);
        }
        if (successThreshold != null) {
            body.put("successThreshold", successThreshold);
        }
        if (actionType != null) {
            body.put("actionType", actionType.toUpperCase(Locale.ROOT));
        }
        if (errorMinSample != null) {
            body.put("errorMinSample", errorMinSample);
        }
        if (rollbackFailureRate != null || rollbackMinSample != null || !rollbackRules.isEmpty()) {
            ObjectNode policy = body.putObject("rollbackPolicy");
            if (rollbackFailureRate != null) {
                policy.put("failureRateThreshold", rollbackFailureRate);
            }
            if (rollbackMinSample != null) {
                policy.put("minSampleSize", rollbackMinSample);
            }
            for (RollbackRule rule : rollbackRules) {
                if (policy.has(rule.name())) {
                    throw new IllegalArgumentException("--rollback-rule " + rule.name() + " is given twice");
                }
                policy.set(rule.name(), rule.fields());
            }
        }
        if (startAt != null) {
            body.put("startAt", startAt);
        }
        if (waveTimeout != null) {
            body.put("waveTimeout", waveTimeout);
        }
        if (maintenanceWindow != null) {
            String[] parts = maintenanceWindow.split(",", -1);
            ObjectNode window = body.putObject("maintenanceWindow").put("schedule", parts[0].strip());
            if (parts.length > 1) {
                window.put("duration", parts[1].strip());
            }
            if (parts.length > 2) {
                window.put("timezone", parts[2].strip());
            }
        }
        if (actionDeadline != null) {
            body.put("actionDeadline", actionDeadline);
        }
        if (retries != null) {
            body.put("retries", retries);
        }
        if (dynamic) {
            body.put("dynamic", true);
        }
        if (rollbackRelease != null) {
            body.put("rollbackRelease", ReleaseCommands.resolveId(api, rollbackRelease));
        }
        if (healthGate != null) {
            body.set("healthGate", healthGate);
        }
        if (!waveSpecs.isEmpty() || !groups.isEmpty()) {
            if (waves != null || (!waveSpecs.isEmpty() && !groups.isEmpty())) {
                throw new IllegalArgumentException("give the waves one way: --waves, --wave (repeated) or --group"
                        + " (repeated)");
            }
            ArrayNode array = body.putArray("waves");
            (groups.isEmpty() ? waveSpecs : groups).forEach(array::add);
        }
        if (maxPerMinute != null || ramp != null) {
            ObjectNode rate = body.putObject("rolloutRate");
            if (maxPerMinute != null) {
                rate.put("maximumPerMinute", maxPerMinute);
            }
            if (ramp != null) {
                rate.set("exponentialRate", ramp);
            }
        }
        if (errorAction != null) {
            body.put("errorAction", errorAction);
        }
        return body;
    }

    /**
     * {@code --health-gate maxFailureRate=0.05,minReports=20,requireWindow} → the request's {@code healthGate} object;
     * a bare {@code requireWindow} means true. An unknown bound or a value that is not a number is a usage error.
     */
    /** One {@code --rollback-rule}: the rule's name and its request object. */
    record RollbackRule(String name, ObjectNode fields) {
    }

    /**
     * {@code unhealthyDevices:rate=0.3,crashes=3,crashWindow=PT10M} → {@code {"rate":0.3,"crashes":3,
     * "crashWindow":"PT10M"}} under {@code unhealthyDevices}; {@code bootFailures:off} → {@code {"off":true}}.
     * Names and keys are checked here (a usage error); values' ranges by the service (400).
     */
    static final class RollbackRuleConverter implements ITypeConverter<RollbackRule> {
        private static final Map<String, List<String>> KEYS = Map.of(
                "failedInstalls", List.of("rate", "count", "minSample", "window"),
                "bootFailures", List.of("rate", "count", "minSample", "window"),
                "unhealthyDevices", List.of("rate", "count", "minSample", "window", "crashes", "crashWindow"),
                "silentDevices", List.of("rate", "count", "minSample", "window", "silence"),
                "crashRegression", List.of("factor", "floor", "minSample", "window"));
        private static final List<String> DURATIONS = List.of("window", "crashWindow", "silence");
        private static final List<String> INTEGERS = List.of("count", "minSample", "crashes");

        @Override
        public RollbackRule convert(String value) {
            int colon = value.indexOf(':');
            String name = (colon < 0 ? value : value.substring(0, colon)).strip();
            List<String> keys = KEYS.get(name);
            if (keys == null) {
                throw new TypeConversionException("unknown rollback rule '" + name + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())) + ")");
            }
            ObjectNode fields = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            String rest = colon < 0 ? "" : value.substring(colon + 1).strip();
            if (rest.equals("off")) {
                if (name.equals("crashRegression")) {
                    throw new TypeConversionException("crashRegression cannot be switched off (it needs a baseline"
                            + " and is inconclusive without one)");
                }
                fields.put("off", true);
                return new RollbackRule(name, fields);
            }
            if (rest.isEmpty()) {
                throw new TypeConversionException(name + " needs KEY=VALUE pairs (" + String.join(", ", keys)
                        + ") or off, e.g. " + name + ":" + keys.get(0) + "=…");
            }
            for (String pair : rest.split(",")) {
                String[] kv = pair.split("=", 2);
                String key = kv[0].strip();
                if (!keys.contains(key)) {
                    throw new TypeConversionException("unknown key '" + key + "' for " + name + " (known: "
                            + String.join(", ", keys) + ")");
                }
                if (kv.length < 2 || kv[1].isBlank()) {
                    throw new TypeConversionException(key + " needs a value, e.g. " + name + ":" + key + "=…");
                }
                String given = kv[1].strip();
                try {
                    if (DURATIONS.contains(key)) {
                        fields.put(key, java.time.Duration.parse(given).toString());
                    } else if (INTEGERS.contains(key)) {
                        fields.put(key, Integer.parseInt(given));
                    } else {
                        fields.put(key, Double.parseDouble(given));
                    }
                } catch (RuntimeException e) {
                    throw new TypeConversionException(name + ":" + key + " cannot be " + given
                            + (DURATIONS.contains(key) ? " (an ISO-8601 duration such as PT10M)" : " (a number)"));
                }
            }
            return new RollbackRule(name, fields);
        }
    }

    static final class HealthGateConverter implements ITypeConverter<ObjectNode> {
        private static final List<String> BOUNDS = List.of("maxFailureRate", "maxUnhealthyRatio",
                "maxCrashesPerReport", "minReports", "requireWindow");

        @Override
        public ObjectNode convert(String value) {
            ObjectNode gate = UpdraftApi.object();
            for (String part : value.split(",")) {
                String[] pair = part.strip().split("=", 2);
                String key = known(pair[0].strip());
                String given = pair.length == 2 ? pair[1].strip() : null;
                try {
                    if (key.equals("requireWindow")) {
                        gate.put(key, given == null || parseFlag(given));
                    } else if (given == null) {
                        throw new TypeConversionException(key + " needs a value, e.g. " + key + "=0.05");
                    } else if (key.equals("minReports")) {
                        gate.put(key, Integer.parseInt(given));
                    } else {
                        gate.put(key, Double.parseDouble(given));
                    }
                } catch (NumberFormatException e) {
                    throw new TypeConversionException(key + " must be a number, got " + given);
                }
            }
            return gate;
        }

        private static String known(String name) {
            for (String key : BOUNDS) {
                if (key.equalsIgnoreCase(name)) {
                    return key;
                }
            }
            throw new TypeConversionException("unknown health gate bound '" + name + "' (known: "
                    + String.join(", ", BOUNDS) + ")");
        }

        private static boolean parseFlag(String given) {
            if (given.equalsIgnoreCase("true") || given.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(given);
            }
            throw new TypeConversionException("requireWindow takes true or false, got " + given);
        }
    }

    /**
     * {@code --ramp 50,2,notified=500} → {@code {"baseRatePerMinute": 50, "incrementFactor": 2,
     * "rateIncreaseCriteria": {"numberOfNotifiedThings": 500}}} ({@code succeeded=N}: numberOfSucceededThings); the
     * service checks the ranges and answers 400 naming the field.
     */
    static final class RampConverter implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            String[] parts = value.split(",");
            if (parts.length != 3) {
                throw new TypeConversionException("--ramp takes BASE,FACTOR,notified=N or BASE,FACTOR,succeeded=N,"
                        + " e.g. 50,2,notified=500; got " + value);
            }
            ObjectNode ramp = UpdraftApi.object();
            String[] step = parts[2].strip().split("=", 2);
            try {
                ramp.put("baseRatePerMinute", Integer.parseInt(parts[0].strip()));
                ramp.put("incrementFactor", Double.parseDouble(parts[1].strip()));
                String criterion = switch (step[0].strip().toLowerCase(Locale.ROOT)) {
                    case "notified" -> "numberOfNotifiedThings";
                    case "succeeded" -> "numberOfSucceededThings";
                    default -> throw new TypeConversionException("--ramp's third part is notified=N or succeeded=N,"
                            + " got " + parts[2].strip());
                };
                if (step.length != 2) {
                    throw new TypeConversionException("--ramp's " + step[0].strip() + " needs a count, e.g. "
                            + step[0].strip() + "=500");
                }
                ramp.putObject("rateIncreaseCriteria").put(criterion, Integer.parseInt(step[1].strip()));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("--ramp takes numbers: BASE,FACTOR,notified=N; got " + value);
            }
            return ramp;
        }
    }

    /** {@code --error-action pause|abort} (any case) → {@code PAUSE} / {@code ABORT}. */
    static final class ErrorActionConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String action = value.strip().toUpperCase(Locale.ROOT);
            if (!action.equals("PAUSE") && !action.equals("ABORT")) {
                throw new TypeConversionException("the error action is pause or abort, got '" + value + "'");
            }
            return action;
        }
    }

    /**
     * {@code --wave PERCENT[:approval][:success=X][:error=Y][:action=pause|abort]} → a wave object, e.g.
     * {@code 10:success=0.9:error=0.05} → {@code {"percent":10,"successThreshold":0.9,"errorThreshold":0.05}}.
     */
    static final class WaveConverter implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            String[] parts = value.split(":", -1);
            ObjectNode wave = UpdraftApi.object();
            String percent = parts[0].strip();
            if (!percent.matches("\\d{1,3}%?")) {
                throw new TypeConversionException("a wave starts with its cumulative percentage, e.g. 10 or"
                        + " 10:error=0.05; got '" + value + "'");
            }
            wave.put("percent", Integer.parseInt(percent.replace("%", "")));
            for (int i = 1; i < parts.length; i++) {
                if (!waveOption(wave, parts[i].strip())) {
                    throw new TypeConversionException("unknown wave option '" + parts[i].strip() + "' (known:"
                            + " approval, success=X, error=X, action=pause|abort)");
                }
            }
            return wave;
        }
    }

    /**
     * {@code --group NAME[:FILTER][:PERCENT%][:approval][:success=X][:error=Y][:action=pause|abort]} → a group object.
     * The name ends at the first ':'; options are read from the right end as long as the last ':'-separated part is
     * one ({@code 50%}, {@code approval}, {@code success=…}, {@code error=…}, {@code action=…}); what remains is the
     * filter (none: the group takes from every device no earlier group took). A filter's own ':' (inside a string)
     * never ends it with something that reads as an option, as a filter cannot end so.
     */
    static final class GroupConverter implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            int colon = value.indexOf(':');
            String name = (colon < 0 ? value : value.substring(0, colon)).strip();
            if (name.isEmpty()) {
                throw new TypeConversionException("a group needs a name: NAME[:FILTER][:PERCENT%][:OPTION…], e.g."
                        + " 'lab:region == \"lab\"'; got '" + value + "'");
            }
            ObjectNode options = UpdraftApi.object();
            String rest = colon < 0 ? "" : value.substring(colon + 1);
            while (true) {
                int last = rest.lastIndexOf(':');
                String part = (last < 0 ? rest : rest.substring(last + 1)).strip();
                if (part.matches("\\d{1,3}%")) {
                    options.put("percent", Integer.parseInt(part.substring(0, part.length() - 1)));
                } else if (part.isEmpty() || !waveOption(options, part)) {
                    break;
                }
                rest = last < 0 ? "" : rest.substring(0, last);
            }
            ObjectNode group = UpdraftApi.object().put("name", name);
            if (!rest.isBlank()) {
                group.put("filter", rest.strip());
            }
            // options were read right to left: keep the body in the documented order
            for (String field : List.of("percent", "approval", "successThreshold", "errorThreshold", "errorAction")) {
                if (options.has(field)) {
                    group.set(field, options.get(field));
                }
            }
            return group;
        }
    }

    /** Puts one wave option into {@code wave}; false if {@code option} is none. */
    private static boolean waveOption(ObjectNode wave, String option) {
        String lower = option.toLowerCase(Locale.ROOT);
        if (lower.equals("approval")) {
            wave.put("approval", true);
            return true;
        }
        // "success == 1" (a filter) is no option: an option is KEY=VALUE with one '=' and no blank in VALUE
        if (!lower.matches("(success|error|action)\\s*=\\s*[^\\s=]+")) {
            return false;
        }
        int equals = lower.indexOf('=');
        String key = lower.substring(0, equals).strip();
        String given = option.substring(equals + 1).strip();
        switch (key) {
            case "success", "error" -> {
                double threshold;
                try {
                    threshold = Double.parseDouble(given);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException(key + " takes a threshold between 0 and 1, got '" + given + "'");
                }
                if (!(threshold >= 0 && threshold <= 1)) {
                    throw new TypeConversionException(key + " takes a threshold between 0 and 1, got '" + given + "'");
                }
                wave.put(key.equals("success") ? "successThreshold" : "errorThreshold", threshold);
                return true;
            }
            case "action" -> {
                wave.put("errorAction", new ErrorActionConverter().convert(given));
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
