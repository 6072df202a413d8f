package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * How {@code rollout watch} ends, as an exit code a pipeline can gate on. A rollout that ended is judged once its
 * rollback installs (if any) have finished, so "ended" means the fleet has settled.
 */
public final class WatchVerdict {
    /** COMPLETED and no cohort was rolled back. */
    public static final int COMPLETED = 0;
    /** COMPLETED, but at least one hardware cohort was rolled back. */
    public static final int ROLLED_BACK = 2;
    /** ABORTED (by an operator, or because its release was revoked). */
    public static final int ABORTED = 3;
    /** PAUSED (error threshold crossed, or an operator paused it); see {@code --wait-when-paused}. */
    public static final int PAUSED = 4;
    /** Still going when {@code --timeout} ran out. */
    public static final int TIMED_OUT = 5;
    /** WAITING_FOR_APPROVAL of its next wave; see {@code --wait-for-approval}. */
    public static final int AWAITING_APPROVAL = 6;

    private WatchVerdict() {
    }

    /** @return the exit code when the rollout has ended, empty while it goes on */
    public static OptionalInt of(JsonNode rollout, boolean waitWhenPaused, boolean waitForApproval) {
        String state = rollout.path("state").asText();
        JsonNode rollbacks = rollout.path("rollbackActions");
        boolean rollbacksSettled = rollbacks.path("sent").asInt()
                <= rollbacks.path("succeeded").asInt() + rollbacks.path("failed").asInt();
        return switch (state) {
            case "COMPLETED" -> rollbacksSettled
                    ? OptionalInt.of(rolledBackCohorts(rollout) > 0 ? ROLLED_BACK : COMPLETED)
                    : OptionalInt.empty();
            case "ABORTED" -> rollbacksSettled ? OptionalInt.of(ABORTED) : OptionalInt.empty();
            case "PAUSED" -> waitWhenPaused ? OptionalInt.empty() : OptionalInt.of(PAUSED);
            case "WAITING_FOR_APPROVAL" -> waitForApproval ? OptionalInt.empty() : OptionalInt.of(AWAITING_APPROVAL);
            default -> OptionalInt.empty();
        };
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
