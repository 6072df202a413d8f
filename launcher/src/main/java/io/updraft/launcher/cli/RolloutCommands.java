package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollout", description = "Create, follow and control staged rollouts.")
final class RolloutCommands {
    /** The subcommands, in the order help lists them (UpdraftCli builds the tree: only the one a call needs). */
    static final List<Class<?>> SUBCOMMANDS = List.of(Create.class, Preview.class, ListRollouts.class, Show.class,
            Pause.class, Resume.class, Abort.class, Approve.class, RolloutWatch.class, RolloutHistory.class);

    private static final Pattern UUID_SHAPE = Pattern.compile(
            "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    /**
     * A rollout id, or the id of the one rollout with that name (asked of {@code GET /api/v1/rollouts?name=}, so
     * however many rollouts there are). Two rollouts of that name are a usage error listing their ids; none is a 404.
     */
    static String resolveId(UpdraftApi api, String reference) {
        if (UUID_SHAPE.matcher(reference).matches()) {
            return reference; // the service makes ids of this shape: no need to ask for a name
        }
        List<String> named = new ArrayList<>();
        String query = "name=" + URLEncoder.encode(reference, StandardCharsets.UTF_8) + "&limit=10";
        for (JsonNode rollout : api.rolloutsPage(query).items()) {
            if (reference.equals(rollout.path("name").asText())) { // the API filters; a proxy that drops it must not
                named.add(rollout.path("id").asText());
            }
        }
        if (named.isEmpty()) {
            throw new UpdraftApi.ApiException("no rollout with the id or name \"" + reference + "\"", 404);
        }
        if (named.size() > 1) {
            throw new UpdraftCli.UsageException(named.size() + " rollouts are named \"" + reference + "\": "
                    + String.join(", ", named) + " (give one of these ids)");
        }
        return named.get(0);
    }

    @Command(name = "create", description = "Roll a release out in waves to the devices matching a target.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RolloutSpecOptions rollout;
        @Option(names = "--name", description = "rollout name (default: release name and version)")
        String name;

        @Override
        public Integer call() throws InterruptedException {
            UpdraftApi api = UpdraftCli.of(spec).api();
            RolloutRequest body = rollout.body(api).named(name);
            JsonNode created = rollout.send("POST /api/v1/rollouts", api::tryCreateRollout, body, 201);
            UpdraftCli.of(spec).printer(spec).result(created, "created rollout " + created.path("id").asText()
                    + " \"" + created.path("name").asText() + "\": " + summary(created));
            return 0;
        }
    }

    @Command(name = "preview", description = "What `rollout create` with the same options would do: matching devices,"
            + " cohorts and how many devices each wave takes from each. Nothing is created.")
    static final class Preview implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RolloutSpecOptions rollout;

        @Override
        public Integer call() throws InterruptedException {
            UpdraftApi api = UpdraftCli.of(spec).api();
            JsonNode plan = rollout.send("POST /api/v1/rollouts/preview", api::tryPreviewRollout, rollout.body(api),
                    200);
            StringBuilder human = new StringBuilder(plan.path("matching").asLong() + " devices match\n");
            for (JsonNode wave : plan.path("waves")) {
                human.append(String.format(Printer.NUMBERS, "wave %d %3d%%  %6d devices%s%n", wave.path("wave").asInt(),
                        wave.path("percent").asInt(), wave.path("devices").asInt(),
                        wave.path("approval").asBoolean() ? "  (waits for approval)" : ""));
            }
            for (JsonNode cohort : plan.path("cohorts")) {
                List<String> perWave = new ArrayList<>();
                cohort.path("perWave").forEach(n -> perWave.add(n.asText()));
                human.append(String.format(Printer.NUMBERS, "cohort %-28s %6d devices  per wave %s%n",
                        cohort.path("cohort").asText(), cohort.path("devices").asInt(), String.join(" / ", perWave)));
            }
            UpdraftCli.of(spec).printer(spec).result(plan, human.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "list", description = "Rollouts, newest first, a page at a time (--all for every one).")
    static final class ListRollouts implements Callable<Integer> {
        private static final List<String> HEADER = List.of("ID", "NAME", "VERSION", "STATE", "WAVE", "CREATED");

        @Spec
        CommandSpec spec;
        @Option(names = "--name", description = "only rollouts of this name")
        String name;
        @Option(names = "--limit", defaultValue = "100", description = "rollouts per page (default 100, at most 1000)")
        int limit;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            Printer printer = UpdraftCli.of(spec).printer(spec);
            return paging.print(printer, HEADER, ListRollouts::row, cursor -> api.rolloutsPage(query(cursor)), "rollouts");
        }

        private String query(String cursor) {
            StringBuilder query = new StringBuilder("limit=" + limit);
            if (name != null) {
                query.append("&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            return query.toString();
        }

        private static List<String> row(JsonNode r) {
            return List.of(r.path("id").asText(), r.path("name").asText(), r.path("version").asText(),
                    r.path("state").asText(), r.path("currentWave").asText() + "/" + r.path("waves").size(),
                    Printer.text(r, "createdAt"));
        }
    }

    @Command(name = "show", aliases = "status", description = "A rollout (id or name): waves, cohorts, rollback installs.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT", description = "rollout id or name")
        String rollout;

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            JsonNode rollout = api.rollout(resolveId(api, this.rollout));
            StringBuilder human = new StringBuilder(rollout.path("name").asText() + "  " + rollout.path("state").asText()
                    + "  release " + rollout.path("version").asText() + " (" + rollout.path("releaseId").asText()
                    + ")\n");
            human.append(confirmationLine(rollout));
            int count = rollout.path("waves").size();
            boolean confirmation = rollout.path("confirmationRequired").asBoolean();
            rollout.path("waves").forEach(w -> human.append(progressLine(w, count, confirmation)).append('\n'));
            rollout.path("cohorts").forEach(c -> {
                human.append(String.format(Printer.NUMBERS, "cohort %-20s %4d devices  %s%s%n",
                        c.path("cohort").asText(), c.path("devices").asInt(), c.path("state").asText(),
                        c.hasNonNull("rollbackReason") ? " (" + c.path("rollbackReason").asText() + ")" : ""));
                human.append(evidenceLine(c.path("rollbackEvidence")));
            });
            human.append(rollbackLine(rollout));
            UpdraftCli.of(spec).printer(spec).result(rollout, human.toString().stripTrailing());
            return 0;
        }
    }

    /**
     * Telemetry's evidence for a cohort's rollback, on its own line: the rule, devices counted of judged, the observed
     * value against its limit, and the window; empty when there is none (an active cohort, an operator's rollback).
     */
    static String evidenceLine(JsonNode evidence) {
        if (evidence == null || !evidence.hasNonNull("rule")) {
            return "";
        }
        return String.format(Printer.NUMBERS, "       rule %s: %d of %d counted, %.2f >= %.2f, window %s .. %s%n",
                evidence.path("rule").asText(), evidence.path("devicesCounted").asLong(),
                evidence.path("devicesJudged").asLong(), evidence.path("observed").asDouble(),
                evidence.path("limit").asDouble(), evidence.path("windowStart").asText(),
                evidence.path("windowEnd").asText());
    }

    /** A control command: one POST on the rollout, which answers the rollout; prints its new state. */
    abstract static class Control implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT", description = "rollout id or name")
        String rollout;

        abstract JsonNode send(UpdraftApi api, String id);

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            JsonNode rollout = send(api, resolveId(api, this.rollout));
            UpdraftCli.of(spec).printer(spec).result(rollout, "rollout " + rollout.path("id").asText() + " is "
                    + rollout.path("state").asText());
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause a running rollout.")
    static final class Pause extends Control {
        @Option(names = "--reason")
        String reason;

        @Override
        JsonNode send(UpdraftApi api, String id) {
            return api.pauseRollout(id, reason);
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout (accepts the current wave's failures).")
    static final class Resume extends Control {
        @Override
        JsonNode send(UpdraftApi api, String id) {
            return api.resumeRollout(id);
        }
    }

    @Command(name = "abort", description = "Abort a rollout: open installs are canceled.")
    static final class Abort extends Control {
        @Option(names = "--reason")
        String reason;

        @Override
        JsonNode send(UpdraftApi api, String id) {
            return api.abortRollout(id, reason);
        }
    }

    @Command(name = "approve", description = "Approve the next wave of a rollout that waits for approval"
            + " (POST /api/v1/rollouts/{id}/approve).")
    static final class Approve extends Control {
        @Override
        JsonNode send(UpdraftApi api, String id) {
            return api.approveRollout(id);
        }
    }

    @Command(name = "history", description = "What happened to a rollout (id or name), oldest first: created,"
            + " waves started and judged, paused, approved, cohorts rolled back, aborted, with who and why"
            + " (GET /api/v1/rollouts/{id}/history).")
    static final class RolloutHistory implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT", description = "rollout id or name")
        String rollout;
        @Option(names = "--limit", paramLabel = "N", description = "entries per page (default: the service's)")
        Integer limit;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            String id = resolveId(api, rollout);
            return History.print(spec, paging, query -> api.rolloutHistory(id, query), limit);
        }
    }

    /**
     * {@code wave 1/2  20%  [########------------]  8/10 finished  ok 7  failed 1  running 2  RUNNING}; with
     * {@code confirmation} (the rollout requires it) or any denial, {@code denied N} after {@code failed}: installs
     * the device refused, finished like canceled ones (never failed).
     */
    static String progressLine(JsonNode wave, int waveCount, boolean confirmation) {
        int devices = wave.path("devices").asInt();
        int succeeded = wave.path("succeeded").asInt();
        int failed = wave.path("failed").asInt();
        int denied = wave.path("denied").asInt();
        int finished = succeeded + failed + wave.path("canceled").asInt() + wave.path("expired").asInt() + denied;
        int width = 20;
        int filled = devices == 0 ? width : Math.min(width, finished * width / devices);
        return String.format(Printer.NUMBERS, "wave %d/%d %3d%%  [%s%s]  %d/%d finished  ok %d  failed %d%s  running %d  %s",
                wave.path("wave").asInt(), waveCount, wave.path("percent").asInt(), "#".repeat(filled),
                "-".repeat(width - filled), finished, devices, succeeded, failed,
                confirmation || denied > 0 ? "  denied " + denied : "", wave.path("running").asInt(),
                wave.path("state").asText());
    }

    /** {@code confirmation required (deadline PT72H)} when the rollout asks each device first, else empty. */
    static String confirmationLine(JsonNode rollout) {
        if (!rollout.path("confirmationRequired").asBoolean()) {
            return "";
        }
        String deadline = rollout.path("confirmationDeadline").asText("");
        return "confirmation required (" + (deadline.isEmpty() ? "no deadline" : "deadline " + deadline) + ")\n";
    }

    static String rollbackLine(JsonNode rollout) {
        JsonNode rollbacks = rollout.path("rollbackActions");
        if (rollbacks.path("sent").asInt() == 0) {
            return "";
        }
        return String.format(Printer.NUMBERS, "rollback installs: %d sent, %d succeeded, %d failed%n",
                rollbacks.path("sent").asInt(), rollbacks.path("succeeded").asInt(), rollbacks.path("failed").asInt());
    }

    private static String summary(JsonNode rollout) {
        List<String> waves = new ArrayList<>();
        rollout.path("waves").forEach(w -> waves.add(w.path("percent").asInt() + "% (" + w.path("devices").asInt()
                + " devices)"));
        String confirmation = confirmationLine(rollout).strip();
        return "waves " + String.join(", ", waves) + (confirmation.isEmpty() ? "" : "; " + confirmation);
    }

    static String detail(String body) {
        try {
            JsonNode problem = UpdraftApi.parse(body);
            return problem.hasNonNull("detail") ? problem.path("detail").asText() : body;
        } catch (IllegalStateException notJson) {
            return body;
        }
    }
}
