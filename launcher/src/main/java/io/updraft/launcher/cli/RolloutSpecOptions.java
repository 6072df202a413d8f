package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.RolloutRequest.Criteria;
import io.updraft.launcher.cli.RolloutRequest.Group;
import io.updraft.launcher.cli.RolloutRequest.HealthGate;
import io.updraft.launcher.cli.RolloutRequest.MaintenanceWindow;
import io.updraft.launcher.cli.RolloutRequest.Percent;
import io.updraft.launcher.cli.RolloutRequest.Ramp;
import io.updraft.launcher.cli.RolloutRequest.RollbackPolicy;
import io.updraft.launcher.cli.RolloutRequest.RolloutRate;
import io.updraft.launcher.cli.RolloutRequest.RuleSettings;
import io.updraft.launcher.cli.RolloutRequest.Wave;
import io.updraft.launcher.cli.RolloutRequest.WaveOptions;
import io.updraft.launcher.cli.RolloutRequest.WaveSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
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
            + " inside it, e.g. '0 0 2 ? * MON,WED,PT2H,Europe/Berlin' (Quartz cron; its own commas stay in it: the"
            + " ISO-8601 duration, last or before the zone, ends it)")
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
    RolloutRequest.HealthGate healthGate;
    @Option(names = "--error-action", paramLabel = "pause|abort", converter = ErrorActionConverter.class,
            description = "what a soaked wave failing above its error threshold does to the rollout (service"
                    + " default pause)")
    String errorAction;
    @Option(names = "--wave", paramLabel = "PERCENT[:OPTION…]", converter = WaveConverter.class,
            description = "a cumulative percentage wave with its own options (repeat, in order; instead of --waves),"
                    + " e.g. 10:success=0.9:error=0.05:action=abort or 50:approval")
    List<RolloutRequest.Wave> waveSpecs = new ArrayList<>();
    @Option(names = "--group", paramLabel = "NAME[:FILTER][:PERCENT%][:OPTION…]", converter = GroupConverter.class,
            description = "an explicit wave group (repeat, in order; instead of --waves/--wave): it takes PERCENT%%"
                    + " (default 100%%) of the devices matching FILTER (default all) that no earlier group took, e.g."
                    + " 'lab:region == \"lab\"', 'eu:region == \"eu\":50%%:approval', 'rest'")
    List<RolloutRequest.Group> groups = new ArrayList<>();
    @Option(names = "--max-per-minute", paramLabel = "N", description = "installs sent per minute at most, per"
            + " wave (rolloutRate.maximumPerMinute; default: as fast as the broker takes them)")
    Integer maxPerMinute;
    @Option(names = "--ramp", paramLabel = "BASE,FACTOR,notified=N|succeeded=N", converter = RampConverter.class,
            description = "exponential rate per wave as AWS IoT Jobs: start at BASE/min, multiply by FACTOR (1.1-5)"
                    + " each time N more devices were notified (or succeeded), up to --max-per-minute;"
                    + " e.g. 50,2,notified=500")
    RolloutRequest.Ramp ramp;
    @Option(names = "--confirmation-required", description = "each device (or its user) confirms its install"
            + " before it gets it, hawkBit's confirmation flow (devices with auto-confirm on skip the question); a"
            + " denial ends the install DENIED; rollback installs never wait")
    boolean confirmationRequired;
    @Option(names = "--confirmation-deadline", paramLabel = "DURATION", converter = PositiveDurationConverter.class,
            description = "with --confirmation-required: an install its device neither confirmed nor denied within"
                    + " this long ends EXPIRED (reason confirmation-deadline), e.g. PT72H (default: none; --action-deadline still applies)")
    String confirmationDeadline;
    @Option(names = "--wait-for-release", defaultValue = "PT60S", description = "how long to retry while the"
            + " rollout-service has not yet heard of a just-published release (default PT60S)")
    Duration waitForRelease;

    /**
     * Sends the body and returns the answer; retries for {@code --wait-for-release} while the rollout-service answers
     * that the release is unknown — it learns of a release through Kafka, a moment after CI published it.
     */
    JsonNode send(String what, Function<Object, HttpResponse<String>> call, RolloutRequest body, int expected)
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
    RolloutRequest body(UpdraftApi api) {
        if (confirmationDeadline != null && !confirmationRequired) { // before any call (the release's id is one)
            throw new UpdraftCli.UsageException("--confirmation-deadline " + confirmationDeadline
                    + " needs --confirmation-required: a deadline is how long a device has to confirm its install");
        }
        return new RolloutRequest(ReleaseCommands.resolveId(api, release), null, waves(),
                target.isEmpty() ? null : new LinkedHashMap<>(target), filter,
                approval == null ? null : approval.toUpperCase(Locale.ROOT), canaryPerCohort,
                cohortBy.isEmpty() ? null : List.copyOf(cohortBy), soak, errorThreshold, successThreshold,
                actionType == null ? null : actionType.toUpperCase(Locale.ROOT), errorMinSample, rollbackPolicy(),
                startAt, waveTimeout, maintenanceWindow(), actionDeadline, retries, dynamic ? Boolean.TRUE : null,
                rollbackRelease == null ? null : ReleaseCommands.resolveId(api, rollbackRelease), healthGate,
                maxPerMinute == null && ramp == null ? null : new RolloutRate(maxPerMinute, ramp), errorAction,
                confirmationRequired ? Boolean.TRUE : null, confirmationDeadline);
    }

    private List<WaveSpec> waves() {
        int ways = (waves == null ? 0 : 1) + (waveSpecs.isEmpty() ? 0 : 1) + (groups.isEmpty() ? 0 : 1);
        if (ways > 1) {
            throw new IllegalArgumentException("give the waves one way: --waves, --wave (repeated) or --group"
                    + " (repeated)");
        }
        if (waves != null) {
            return waves.stream().<WaveSpec>map(Percent::new).toList();
        }
        if (!waveSpecs.isEmpty()) {
            return List.copyOf(waveSpecs);
        }
        return groups.isEmpty() ? null : List.copyOf(groups);
    }

    private RollbackPolicy rollbackPolicy() {
        if (rollbackFailureRate == null && rollbackMinSample == null && rollbackRules.isEmpty()) {
            return null;
        }
        Map<String, RuleSettings> rules = new LinkedHashMap<>();
        for (RollbackRule rule : rollbackRules) {
            if (rules.put(rule.name(), rule.settings()) != null) {
                throw new IllegalArgumentException("--rollback-rule " + rule.name() + " is given twice");
            }
        }
        return new RollbackPolicy(rollbackFailureRate, rollbackMinSample, rules.get("failedInstalls"),
                rules.get("bootFailures"), rules.get("unhealthyDevices"), rules.get("silentDevices"),
                rules.get("crashRegression"));
    }

    /**
     * {@code CRON,DURATION[,ZONE]}, read from the right: the duration is the last part or the one before the zone, so
     * a Quartz cron keeps its own commas ({@code 0 0 2 ? * MON,WED,PT2H,Europe/Berlin}); no cron field and no zone id
     * reads as an ISO-8601 duration. Without a duration there, the first comma ends the cron (the service then says
     * what is missing).
     */
    private MaintenanceWindow maintenanceWindow() {
        if (maintenanceWindow == null) {
            return null;
        }
        String[] parts = maintenanceWindow.split(",", -1);
        int n = parts.length;
        int at = n >= 2 && isDuration(parts[n - 1]) ? n - 1 : n >= 3 && isDuration(parts[n - 2]) ? n - 2 : 1;
        return new MaintenanceWindow(String.join(",", java.util.Arrays.asList(parts).subList(0, Math.min(at, n)))
                .strip(), at < n ? parts[at].strip() : null, at + 1 < n ? parts[at + 1].strip() : null);
    }

    private static boolean isDuration(String text) {
        try {
            Duration.parse(text.strip());
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** One {@code --rollback-rule}: the rule's name and its settings. */
    record RollbackRule(String name, RuleSettings settings) {
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
                        + String.join(", ", new TreeSet<>(KEYS.keySet())) + ")");
            }
            String rest = colon < 0 ? "" : value.substring(colon + 1).strip();
            if (rest.equals("off")) {
                if (name.equals("crashRegression")) {
                    throw new TypeConversionException("crashRegression cannot be switched off (it needs a baseline"
                            + " and is inconclusive without one)");
                }
                return new RollbackRule(name, new RuleSettings(null, null, null, null, null, null, null, null, null,
                        true));
            }
            if (rest.isEmpty()) {
                throw new TypeConversionException(name + " needs KEY=VALUE pairs (" + String.join(", ", keys)
                        + ") or off, e.g. " + name + ":" + keys.get(0) + "=…");
            }
            Map<String, Object> given = new LinkedHashMap<>();
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
                given.put(key, parse(name, key, kv[1].strip()));
            }
            return new RollbackRule(name, new RuleSettings((Double) given.get("rate"), (Integer) given.get("count"),
                    (Integer) given.get("minSample"), (String) given.get("window"), (Integer) given.get("crashes"),
                    (String) given.get("crashWindow"), (String) given.get("silence"), (Double) given.get("factor"),
                    (Double) given.get("floor"), null));
        }

        private static Object parse(String name, String key, String given) {
            try {
                if (DURATIONS.contains(key)) {
                    return Duration.parse(given).toString();
                }
                return INTEGERS.contains(key) ? (Object) Integer.parseInt(given) : (Object) Double.parseDouble(given);
            } catch (RuntimeException e) {
                throw new TypeConversionException(name + ":" + key + " cannot be " + given
                        + (DURATIONS.contains(key) ? " (an ISO-8601 duration such as PT10M)" : " (a number)"));
            }
        }
    }

    /**
     * {@code --health-gate maxFailureRate=0.05,minReports=20,requireWindow} → the request's {@code healthGate};
     * a bare {@code requireWindow} means true. An unknown bound or a value that is not a number is a usage error.
     */
    static final class HealthGateConverter implements ITypeConverter<HealthGate> {
        private static final List<String> BOUNDS = List.of("maxFailureRate", "maxUnhealthyRatio",
                "maxCrashesPerReport", "minReports", "requireWindow");

        @Override
        public HealthGate convert(String value) {
            Map<String, Object> bounds = new LinkedHashMap<>();
            for (String part : value.split(",")) {
                String[] pair = part.strip().split("=", 2);
                String key = known(pair[0].strip());
                String given = pair.length == 2 ? pair[1].strip() : null;
                try {
                    if (key.equals("requireWindow")) {
                        bounds.put(key, given == null || parseFlag(given));
                    } else if (given == null) {
                        throw new TypeConversionException(key + " needs a value, e.g. " + key + "=0.05");
                    } else if (key.equals("minReports")) {
                        bounds.put(key, Integer.parseInt(given));
                    } else {
                        bounds.put(key, Double.parseDouble(given));
                    }
                } catch (NumberFormatException e) {
                    throw new TypeConversionException(key + " must be a number, got " + given);
                }
            }
            return new HealthGate((Double) bounds.get("maxFailureRate"), (Double) bounds.get("maxUnhealthyRatio"),
                    (Double) bounds.get("maxCrashesPerReport"), (Integer) bounds.get("minReports"),
                    (Boolean) bounds.get("requireWindow"));
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
    static final class RampConverter implements ITypeConverter<Ramp> {
        @Override
        public Ramp convert(String value) {
            String[] parts = value.split(",");
            if (parts.length != 3) {
                throw new TypeConversionException("--ramp takes BASE,FACTOR,notified=N or BASE,FACTOR,succeeded=N,"
                        + " e.g. 50,2,notified=500; got " + value);
            }
            String[] step = parts[2].strip().split("=", 2);
            try {
                int base = Integer.parseInt(parts[0].strip());
                double factor = Double.parseDouble(parts[1].strip());
                String criterion = step[0].strip().toLowerCase(Locale.ROOT);
                if (!criterion.equals("notified") && !criterion.equals("succeeded")) {
                    throw new TypeConversionException("--ramp's third part is notified=N or succeeded=N, got "
                            + parts[2].strip());
                }
                if (step.length != 2) {
                    throw new TypeConversionException("--ramp's " + step[0].strip() + " needs a count, e.g. "
                            + step[0].strip() + "=500");
                }
                int count = Integer.parseInt(step[1].strip());
                return new Ramp(base, factor, criterion.equals("notified") ? new Criteria(count, null)
                        : new Criteria(null, count));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("--ramp takes numbers: BASE,FACTOR,notified=N; got " + value);
            }
        }
    }

    /**
     * A positive ISO-8601 duration ({@code PT72H}, {@code P3D}), kept as written: the service reads the same text; a
     * malformed, zero or negative one is a usage error here, before any call.
     */
    static final class PositiveDurationConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String given = value.strip();
            try {
                if (Duration.parse(given).compareTo(Duration.ZERO) > 0) {
                    return given;
                }
            } catch (java.time.format.DateTimeParseException e) {
                // said below
            }
            throw new TypeConversionException("'" + value + "' is not a positive ISO-8601 duration (e.g. PT72H)");
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
     * {@code --wave PERCENT[:approval][:success=X][:error=Y][:action=pause|abort]} → a wave, e.g.
     * {@code 10:success=0.9:error=0.05} → {@code {"percent":10,"successThreshold":0.9,"errorThreshold":0.05}}.
     */
    static final class WaveConverter implements ITypeConverter<Wave> {
        @Override
        public Wave convert(String value) {
            String[] parts = value.split(":", -1);
            String percent = parts[0].strip();
            if (!percent.matches("\\d{1,3}%?")) {
                throw new TypeConversionException("a wave starts with its cumulative percentage, e.g. 10 or"
                        + " 10:error=0.05; got '" + value + "'");
            }
            WaveOptions options = WaveOptions.NONE.withPercent(Integer.parseInt(percent.replace("%", "")));
            for (int i = 1; i < parts.length; i++) {
                WaveOptions more = waveOption(options, parts[i].strip());
                if (more == null) {
                    throw new TypeConversionException("unknown wave option '" + parts[i].strip() + "' (known:"
                            + " approval, success=X, error=X, action=pause|abort)");
                }
                options = more;
            }
            return new Wave(options.percent(), options.approval(), options.successThreshold(),
                    options.errorThreshold(), options.errorAction());
        }
    }

    /**
     * {@code --group NAME[:FILTER][:PERCENT%][:approval][:success=X][:error=Y][:action=pause|abort]} → a group.
     * The name ends at the first ':'; options are read from the right end as long as the last ':'-separated part is
     * one ({@code 50%}, {@code approval}, {@code success=…}, {@code error=…}, {@code action=…}); what remains is the
     * filter (none: the group takes from every device no earlier group took). A filter's own ':' (inside a string)
     * never ends it with something that reads as an option, as a filter cannot end so.
     */
    static final class GroupConverter implements ITypeConverter<Group> {
        @Override
        public Group convert(String value) {
            int colon = value.indexOf(':');
            String name = (colon < 0 ? value : value.substring(0, colon)).strip();
            if (name.isEmpty()) {
                throw new TypeConversionException("a group needs a name: NAME[:FILTER][:PERCENT%][:OPTION…], e.g."
                        + " 'lab:region == \"lab\"'; got '" + value + "'");
            }
            WaveOptions options = WaveOptions.NONE;
            String rest = colon < 0 ? "" : value.substring(colon + 1);
            while (true) {
                int last = rest.lastIndexOf(':');
                String part = (last < 0 ? rest : rest.substring(last + 1)).strip();
                WaveOptions more = part.matches("\\d{1,3}%")
                        ? options.withPercent(Integer.parseInt(part.substring(0, part.length() - 1)))
                        : part.isEmpty() ? null : waveOption(options, part);
                if (more == null) {
                    break;
                }
                options = more;
                rest = last < 0 ? "" : rest.substring(0, last);
            }
            return new Group(name, rest.isBlank() ? null : rest.strip(), options.percent(), options.approval(),
                    options.successThreshold(), options.errorThreshold(), options.errorAction());
        }
    }

    /** {@code options} with one more wave option, or null if {@code option} is none. */
    private static WaveOptions waveOption(WaveOptions options, String option) {
        String lower = option.toLowerCase(Locale.ROOT);
        if (lower.equals("approval")) {
            return options.withApproval();
        }
        // "success == 1" (a filter) is no option: an option is KEY=VALUE with one '=' and no blank in VALUE
        if (!lower.matches("(success|error|action)\\s*=\\s*[^\\s=]+")) {
            return null;
        }
        int equals = lower.indexOf('=');
        String key = lower.substring(0, equals).strip();
        String given = option.substring(equals + 1).strip();
        if (key.equals("action")) {
            return options.withAction(new ErrorActionConverter().convert(given));
        }
        double threshold;
        try {
            threshold = Double.parseDouble(given);
        } catch (NumberFormatException e) {
            throw new TypeConversionException(key + " takes a threshold between 0 and 1, got '" + given + "'");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new TypeConversionException(key + " takes a threshold between 0 and 1, got '" + given + "'");
        }
        return key.equals("success") ? options.withSuccess(threshold) : options.withError(threshold);
    }
}
