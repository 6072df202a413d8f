package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * How {@code rollout watch} ends, as an exit code a pipeline can gate on: the rollout's true outcome, judged from its
 * view ({@code GET /api/v1/rollouts/{id}}). A rollout that ended is judged once its rollback installs (if any) have
 * finished, so "ended" means the fleet has settled. When several outcomes apply, the first of ABORTED, ROLLED_BACK,
 * ALL_FAILED, NOTHING_INSTALLED wins.
 */
public final class WatchVerdict {
    /** COMPLETED, at least one device installed and nothing failed the policy (no cohort rolled back). */
    public static final int COMPLETED = 0;
    /** The API answered an error, or it stayed unreachable for {@code --retry-for}. */
    public static final int API_ERROR = 1;
    /** At least one hardware cohort was rolled back. */
    public static final int ROLLED_BACK = 2;
    /** ABORTED (by an operator, by its error action, or because its release was revoked). */
    public static final int ABORTED = 3;
    /** PAUSED (error threshold crossed, or an operator paused it); see {@code --wait-when-paused}. */
    public static final int PAUSED = 4;
    /** Still going when {@code --timeout} ran out. */
    public static final int TIMED_OUT = 5;
    /** WAITING_FOR_APPROVAL of its next wave; see {@code --wait-for-approval}. */
    public static final int AWAITING_APPROVAL = 6;
    /** Ended with every judged device failed: none installed, at least one failed. */
    public static final int ALL_FAILED = 7;
    /** Ended with nothing installed and nothing failed: every install superseded, canceled or expired. */
    public static final int NOTHING_INSTALLED = 8;
    /** A usage error (sysexits EX_USAGE), e.g. an unknown option or an ambiguous rollout name. */
    public static final int USAGE = 64;

    private WatchVerdict() {
    }

    /** @return the exit code when the rollout has ended (or stopped to wait for someone), empty while it goes on */
    public static OptionalInt of(JsonNode rollout, boolean waitWhenPaused, boolean waitForApproval) {
        String state = rollout.path("state").asText();
        return switch (state) {
            case "COMPLETED", "ABORTED" -> rollbacksSettled(rollout) ? OptionalInt.of(ended(rollout))
                    : OptionalInt.empty();
            case "PAUSED" -> waitWhenPaused ? OptionalInt.empty() : OptionalInt.of(PAUSED);
            case "WAITING_FOR_APPROVAL" -> waitForApproval ? OptionalInt.empty() : OptionalInt.of(AWAITING_APPROVAL);
            default -> OptionalInt.empty();
        };
    }

    private static int ended(JsonNode rollout) {
        if ("ABORTED".equals(rollout.path("state").asText())) {
            return ABORTED;
        }
        if (rolledBackCohorts(rollout) > 0) {
            return ROLLED_BACK;
        }
        long succeeded = total(rollout, "succeeded");
        long failed = total(rollout, "failed");
        if (succeeded == 0 && failed > 0) {
            return ALL_FAILED;
        }
        return succeeded == 0 ? NOTHING_INSTALLED : COMPLETED;
    }

    private static boolean rollbacksSettled(JsonNode rollout) {
        JsonNode rollbacks = rollout.path("rollbackActions");
        return rollbacks.path("sent").asLong() <= rollbacks.path("succeeded").asLong()
                + rollbacks.path("failed").asLong();
    }

    /** The sum of one counter ({@code succeeded}, {@code failed}, …) over every wave. */
    static long total(JsonNode rollout, String counter) {
        long sum = 0;
        for (JsonNode wave : rollout.path("waves")) {
            sum += wave.path(counter).asLong();
        }
        return sum;
    }

    static int rolledBackCohorts(JsonNode rollout) {
        int count = 0;
        for (JsonNode cohort : rollout.path("cohorts")) {
            if ("ROLLED_BACK".equals(cohort.path("state").asText())) {
                count++;
            }
        }
        return count;
    }
}
