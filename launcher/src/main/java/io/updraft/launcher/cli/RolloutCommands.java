package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollout", description = "Create, follow and control staged rollouts.",
        subcommands = { RolloutCommands.Create.class, RolloutCommands.Preview.class, RolloutCommands.ListRollouts.class, RolloutCommands.Show.class,
                RolloutCommands.Pause.class, RolloutCommands.Resume.class, RolloutCommands.Abort.class,
                RolloutCommands.Approve.class, RolloutCommands.Watch.class })
final class RolloutCommands {
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
            ObjectNode body = rollout.body(api);
            if (name != null) {
                body.put("name", name);
            }
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
                human.append(String.format(Locale.ROOT, "wave %d %3d%%  %6d devices%s%n", wave.path("wave").asInt(),
                        wave.path("percent").asInt(), wave.path("devices").asInt(),
                        wave.path("approval").asBoolean() ? "  (waits for approval)" : ""));
            }
            for (JsonNode cohort : plan.path("cohorts")) {
                List<String> perWave = new ArrayList<>();
                cohort.path("perWave").forEach(n -> perWave.add(n.asText()));
                human.append(String.format(Locale.ROOT, "cohort %-28s %6d devices  per wave %s%n",
                        cohort.path("cohort").asText(), cohort.path("devices").asInt(), String.join(" / ", perWave)));
            }
            UpdraftCli.of(spec).printer(spec).result(plan, human.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "list", description = "Rollouts, newest first.")
    static final class ListRollouts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode rollouts = UpdraftCli.of(spec).api().rollouts();
            Printer printer = UpdraftCli.of(spec).printer(spec);
            printer.list(rollouts, rollouts, List.of("ID", "NAME", "VERSION", "STATE", "WAVE", "CREATED"),
                    r -> List.of(r.path("id").asText(), r.path("name").asText(), r.path("version").asText(),
                            r.path("state").asText(), r.path("currentWave").asText() + "/" + r.path("waves").size(),
                            Printer.text(r, "createdAt")));
            return 0;
        }
    }

    @Command(name = "show", description = "A rollout: waves, cohorts, rollback installs.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT")
        String id;

        @Override
        public Integer call() {
            JsonNode rollout = UpdraftCli.of(spec).api().rollout(id);
            StringBuilder human = new StringBuilder(rollout.path("name").asText() + "  " + rollout.path("state").asText()
                    + "  release " + rollout.path("version").asText() + " (" + rollout.path("releaseId").asText()
                    + ")\n");
            int count = rollout.path("waves").size();
            rollout.path("waves").forEach(w -> human.append(progressLine(w, count)).append('\n'));
            rollout.path("cohorts").forEach(c -> human.append(String.format(Locale.ROOT, "cohort %-20s %4d devices  %s%s%n",
                    c.path("cohort").asText(), c.path("devices").asInt(), c.path("state").asText(),
                    c.hasNonNull("rollbackReason") ? " (" + c.path("rollbackReason").asText() + ")" : "")));
            human.append(rollbackLine(rollout));
            UpdraftCli.of(spec).printer(spec).result(rollout, human.toString().stripTrailing());
            return 0;
        }
    }

    /** A control command: one POST on the rollout, which answers the rollout; prints its new state. */
    abstract static class Control implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT")
        String id;

        abstract JsonNode send(UpdraftApi api);

        @Override
        public Integer call() {
            JsonNode rollout = send(UpdraftCli.of(spec).api());
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
        JsonNode send(UpdraftApi api) {
            return api.pauseRollout(id, reason);
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout (accepts the current wave's failures).")
    static final class Resume extends Control {
        @Override
        JsonNode send(UpdraftApi api) {
            return api.resumeRollout(id);
        }
    }

    @Command(name = "abort", description = "Abort a rollout: open installs are canceled.")
    static final class Abort extends Control {
        @Option(names = "--reason")
        String reason;

        @Override
        JsonNode send(UpdraftApi api) {
            return api.abortRollout(id, reason);
        }
    }

    @Command(name = "approve", description = "Approve the next wave of a rollout that waits for approval"
            + " (POST /api/v1/rollouts/{id}/approve).")
    static final class Approve extends Control {
        @Override
        JsonNode send(UpdraftApi api) {
            return api.approveRollout(id);
        }
    }

    @Command(name = "watch", description = {
            "Follow a rollout until it ends, one progress line per wave change. Exit codes:",
            "  0 COMPLETED, no cohort rolled back    2 COMPLETED with a cohort rolled back",
            "  3 ABORTED    4 PAUSED    5 --timeout reached    6 WAITING_FOR_APPROVAL    1 API error" })
    static final class Watch implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ROLLOUT")
        String id;
        @Option(names = "--interval", defaultValue = "PT1S", description = "poll interval (default PT1S)")
        Duration interval;
        @Option(names = "--timeout", defaultValue = "PT2H", description = "give up after (default PT2H)")
        Duration timeout;
        @Option(names = "--wait-when-paused", description = "keep watching a PAUSED rollout (for an operator to"
                + " resume) instead of exiting 4")
        boolean waitWhenPaused;
        @Option(names = "--wait-for-approval", description = "keep watching a rollout WAITING_FOR_APPROVAL (for"
                + " someone to run `rollout approve`) instead of exiting 6")
        boolean waitForApproval;

        @Override
        public Integer call() throws InterruptedException {
            UpdraftApi api = UpdraftCli.of(spec).api();
            Printer printer = UpdraftCli.of(spec).printer(spec);
            Map<String, String> shown = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode rollout = api.rollout(id);
                report(printer, rollout, shown);
                OptionalInt verdict = WatchVerdict.of(rollout, waitWhenPaused, waitForApproval);
                if (verdict.isPresent()) {
                    if (!printer.json()) {
                        printer.line(ending(rollout, verdict.getAsInt()));
                    }
                    return verdict.getAsInt();
                }
                if (System.nanoTime() > deadline) {
                    if (!printer.json()) {
                        printer.line("rollout " + id + " still " + rollout.path("state").asText() + " after " + timeout
                                + " (exit " + WatchVerdict.TIMED_OUT + ")");
                    }
                    return WatchVerdict.TIMED_OUT;
                }
                Thread.sleep(interval.toMillis());
            }
        }

        private static void report(Printer printer, JsonNode rollout, Map<String, String> shown) {
            if (printer.json()) {
                String key = rollout.toString();
                if (!key.equals(shown.put("view", key))) {
                    printer.jsonLine(rollout);
                }
                return;
            }
            String state = rollout.path("state").asText();
            if (!state.equals(shown.put("state", state))) {
                printer.line("rollout " + rollout.path("name").asText() + ": " + state);
            }
            int count = rollout.path("waves").size();
            for (JsonNode wave : rollout.path("waves")) {
                String line = progressLine(wave, count);
                if (!"PENDING".equals(wave.path("state").asText())
                        && !line.equals(shown.put("wave-" + wave.path("wave").asInt(), line))) {
                    printer.line(line);
                }
            }
            for (JsonNode cohort : rollout.path("cohorts")) {
                String cohortState = cohort.path("state").asText();
                if (!cohortState.equals(shown.put("cohort-" + cohort.path("cohort").asText(), cohortState))
                        && "ROLLED_BACK".equals(cohortState)) {
                    printer.line("cohort " + cohort.path("cohort").asText() + " ROLLED BACK: "
                            + Printer.text(cohort, "rollbackReason"));
                }
            }
            String rollbacks = rollbackLine(rollout);
            if (!rollbacks.isEmpty() && !rollbacks.equals(shown.put("rollbacks", rollbacks))) {
                printer.line(rollbacks.strip());
            }
        }

        private static String ending(JsonNode rollout, int exit) {
            String outcome = switch (exit) {
                case WatchVerdict.COMPLETED -> "completed";
                case WatchVerdict.ROLLED_BACK -> "completed, but " + WatchVerdict.rolledBackCohorts(rollout)
                        + " cohort(s) were rolled back";
                case WatchVerdict.ABORTED -> "aborted";
                case WatchVerdict.AWAITING_APPROVAL -> "waits for approval of wave " + rollout.path("currentWave").asInt()
                        + ": updraft rollout approve " + rollout.path("id").asText();
                default -> "paused: resume it (updraft rollout resume) or abort it";
            };
            return "rollout " + rollout.path("id").asText() + " " + outcome + " (exit " + exit + ")";
        }
    }

    /** {@code wave 1/2  20%  [########------------]  8/10 finished  ok 7  failed 1  running 2  RUNNING}. */
    static String progressLine(JsonNode wave, int waveCount) {
        int devices = wave.path("devices").asInt();
        int succeeded = wave.path("succeeded").asInt();
        int failed = wave.path("failed").asInt();
        int canceled = wave.path("canceled").asInt();
        int finished = succeeded + failed + canceled;
        int width = 20;
        int filled = devices == 0 ? width : Math.min(width, finished * width / devices);
        return String.format(Locale.ROOT, "wave %d/%d %3d%%  [%s%s]  %d/%d finished  ok %d  failed %d  running %d  %s",
                wave.path("wave").asInt(), waveCount, wave.path("percent").asInt(), "#".repeat(filled),
                "-".repeat(width - filled), finished, devices, succeeded, failed, wave.path("running").asInt(),
                wave.path("state").asText());
    }

    static String rollbackLine(JsonNode rollout) {
        JsonNode rollbacks = rollout.path("rollbackActions");
        if (rollbacks.path("sent").asInt() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "rollback installs: %d sent, %d succeeded, %d failed%n",
                rollbacks.path("sent").asInt(), rollbacks.path("succeeded").asInt(), rollbacks.path("failed").asInt());
    }

    private static String summary(JsonNode rollout) {
        List<String> waves = new ArrayList<>();
        rollout.path("waves").forEach(w -> waves.add(w.path("percent").asInt() + "% (" + w.path("devices").asInt()
                + " devices)"));
        return "waves " + String.join(", ", waves);
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
