package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout watch ROLLOUT}: follows a rollout until it ends and exits with its true outcome ({@link
 * WatchVerdict}), riding out restarts of the rollout-service ({@link RetryWindow}).
 */
@Command(name = "watch", description = "Follow a rollout (id or name) until it ends; the exit code is its outcome."
        + " On a terminal the progress is redrawn in place (one bar per wave), elsewhere a line per change.",
        footerHeading = "%nExit codes (when several apply, the first of 3, 2, 7, 8 wins):%n",
        footer = {
                "  0  COMPLETED: at least one device installed, no cohort rolled back",
                "  2  a hardware cohort was rolled back",
                "  3  ABORTED (operator, error action, or its release was revoked)",
                "  4  PAUSED (see --wait-when-paused)",
                "  5  --timeout reached",
                "  6  WAITING_FOR_APPROVAL (see --wait-for-approval)",
                "  7  every judged device failed: none installed, at least one failed",
                "  8  nothing installed: every install superseded, canceled or expired",
                "  1  API error, or the rollout-service unreachable for --retry-for",
                " 64  usage error (unknown option, a rollout name that two rollouts share)" })
final class RolloutWatch implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "ROLLOUT", description = "rollout id or name")
    String rollout;
    @Option(names = "--interval", defaultValue = "PT1S", description = "poll interval (default PT1S)")
    Duration interval;
    @Option(names = "--timeout", defaultValue = "PT2H", description = "give up after, exit 5 (default PT2H)")
    Duration timeout;
    @Option(names = "--retry-for", defaultValue = "PT5M", paramLabel = "DURATION", description = "keep retrying while"
            + " the rollout-service is unreachable or answers 5xx/429, backing off 0.5 s to 10 s (default PT5M);"
            + " then exit 1")
    Duration retryFor;
    @Option(names = "--wait-when-paused", description = "keep watching a PAUSED rollout (for an operator to"
            + " resume) instead of exiting 4")
    boolean waitWhenPaused;
    @Option(names = "--wait-for-approval", description = "keep watching a rollout WAITING_FOR_APPROVAL (for"
            + " someone to run `rollout approve`) instead of exiting 6")
    boolean waitForApproval;

    @Override
    public Integer call() throws InterruptedException {
        UpdraftCli cli = UpdraftCli.of(spec);
        UpdraftApi api = cli.api();
        Printer printer = cli.printer(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBoard board = new ProgressBoard(out, cli.terminal() && !printer.json(), cli.columns());
        RetryWindow retries = new RetryWindow("rollout-service", retryFor, notice -> {
            board.interrupted();
            err.println(notice);
            err.flush();
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastJson = null;
        JsonNode view = null;
        try {
            String id = retries.call(() -> RolloutCommands.resolveId(api, rollout), deadline);
            while (true) {
                view = retries.call(() -> api.rollout(id), deadline);
                if (printer.json()) {
                    if (!view.toString().equals(lastJson)) {
                        printer.jsonLine(view);
                    }
                    lastJson = view.toString();
                } else {
                    board.show(view);
                }
                OptionalInt verdict = WatchVerdict.of(view, waitWhenPaused, waitForApproval);
                if (verdict.isPresent()) {
                    if (!printer.json()) {
                        printer.line(ending(view, verdict.getAsInt()));
                    }
                    return verdict.getAsInt();
                }
                if (System.nanoTime() - deadline > 0) {
                    return timedOut(printer, view.path("state").asText());
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (RetryWindow.DeadlineReached unreachable) {
            err.println("rollout-service still unreachable at --timeout: " + unreachable.getMessage());
            return timedOut(printer, view == null ? "unknown" : view.path("state").asText());
        }
    }

    private int timedOut(Printer printer, String state) {
        if (!printer.json()) {
            printer.line("rollout " + rollout + " still " + state + " after " + timeout + " (exit "
                    + WatchVerdict.TIMED_OUT + ")");
        }
        return WatchVerdict.TIMED_OUT;
    }

    static String ending(JsonNode rollout, int exit) {
        String outcome = switch (exit) {
            case WatchVerdict.COMPLETED -> "completed: " + WatchVerdict.total(rollout, "succeeded")
                    + " device(s) installed";
            case WatchVerdict.ROLLED_BACK -> "ended with " + WatchVerdict.rolledBackCohorts(rollout)
                    + " cohort(s) rolled back";
            case WatchVerdict.ABORTED -> "aborted";
            case WatchVerdict.AWAITING_APPROVAL -> "waits for approval of wave " + rollout.path("currentWave").asInt()
                    + ": updraft rollout approve " + rollout.path("id").asText();
            case WatchVerdict.ALL_FAILED -> "ended with every device failed: " + WatchVerdict.total(rollout, "failed")
                    + " failed, none installed";
            case WatchVerdict.NOTHING_INSTALLED -> "ended with nothing installed (every install superseded, canceled"
                    + " or expired)";
            default -> "paused: resume it (updraft rollout resume) or abort it";
        };
        return "rollout " + rollout.path("id").asText() + " " + outcome + " (exit " + exit + ")";
    }
}
