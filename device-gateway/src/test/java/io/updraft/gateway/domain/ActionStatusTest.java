package io.updraft.gateway.domain;

import static io.updraft.gateway.domain.ActionStatus.CANCELED;
import static io.updraft.gateway.domain.ActionStatus.CANCELING;
import static io.updraft.gateway.domain.ActionStatus.DENIED;
import static io.updraft.gateway.domain.ActionStatus.EXPIRED;
import static io.updraft.gateway.domain.ActionStatus.FAILED;
import static io.updraft.gateway.domain.ActionStatus.FINISHED;
import static io.updraft.gateway.domain.ActionStatus.PENDING;
import static io.updraft.gateway.domain.ActionStatus.QUEUED;
import static io.updraft.gateway.domain.ActionStatus.RETRIEVED;
import static io.updraft.gateway.domain.ActionStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.gateway.domain.ActionStatus.Trigger;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every (status, trigger) pair against the expected table; a missing entry means "not allowed". */
class ActionStatusTest {
    private static final Map<ActionStatus, Map<Trigger, ActionStatus>> ALLOWED = new EnumMap<>(ActionStatus.class);

    static {
        allow(QUEUED, Trigger.PROMOTE, PENDING);
        allow(QUEUED, Trigger.WITHDRAW, CANCELED);
        allow(QUEUED, Trigger.EXPIRE, EXPIRED);

        allow(PENDING, Trigger.RETRIEVE, RETRIEVED);
        allow(PENDING, Trigger.PROGRESS, RUNNING);
        allow(PENDING, Trigger.WITHDRAW, CANCELED);
        allow(PENDING, Trigger.CONFIRM_CANCEL, CANCELED);
        allow(PENDING, Trigger.SUCCEED, FINISHED);
        allow(PENDING, Trigger.FAIL, FAILED);
        allow(PENDING, Trigger.EXPIRE, EXPIRED);
        allow(PENDING, Trigger.DENY, DENIED); // only an offered, never fetched action waits for confirmation

        allow(RETRIEVED, Trigger.RETRIEVE, RETRIEVED);
        allow(RETRIEVED, Trigger.PROGRESS, RUNNING);
        allow(RETRIEVED, Trigger.REQUEST_CANCEL, CANCELING);
        allow(RETRIEVED, Trigger.CONFIRM_CANCEL, CANCELED);
        allow(RETRIEVED, Trigger.SUCCEED, FINISHED);
        allow(RETRIEVED, Trigger.FAIL, FAILED);
        allow(RETRIEVED, Trigger.EXPIRE, EXPIRED);

        allow(RUNNING, Trigger.RETRIEVE, RUNNING);
        allow(RUNNING, Trigger.PROGRESS, RUNNING);
        allow(RUNNING, Trigger.REQUEST_CANCEL, CANCELING);
        allow(RUNNING, Trigger.CONFIRM_CANCEL, CANCELED);
        allow(RUNNING, Trigger.SUCCEED, FINISHED);
        allow(RUNNING, Trigger.FAIL, FAILED);

        allow(CANCELING, Trigger.RETRIEVE, CANCELING);
        allow(CANCELING, Trigger.PROGRESS, CANCELING);
        allow(CANCELING, Trigger.CONFIRM_CANCEL, CANCELED);
        allow(CANCELING, Trigger.REJECT_CANCEL, RUNNING);
        allow(CANCELING, Trigger.SUCCEED, FINISHED);
        allow(CANCELING, Trigger.FAIL, FAILED);
    }

    private static void allow(ActionStatus from, Trigger trigger, ActionStatus to) {
        ALLOWED.computeIfAbsent(from, s -> new EnumMap<>(Trigger.class)).put(trigger, to);
    }

    @Test
    void givenEveryStatusAndTrigger_whenApplied_thenOnlyTheTabledTransitionsHappen() {
        for (ActionStatus from : ActionStatus.values()) {
            for (Trigger trigger : Trigger.values()) {
                Optional<ActionStatus> expected = Optional.ofNullable(
                        ALLOWED.getOrDefault(from, Map.of()).get(trigger));
                assertThat(from.next(trigger)).as("%s on %s", from, trigger).isEqualTo(expected);
            }
        }
    }

    @Test
    void givenTerminalStatuses_whenAnyTrigger_thenNothingMoves() {
        for (ActionStatus terminal : new ActionStatus[] { FINISHED, FAILED, CANCELED, EXPIRED, DENIED }) {
            assertThat(terminal.isTerminal()).isTrue();
            for (Trigger trigger : Trigger.values()) {
                assertThat(terminal.next(trigger)).isEmpty();
            }
        }
    }

    @Test
    void givenStatuses_whenAskedWhatThePollOffers_thenDeploymentOrCancelOrNothing() {
        assertThat(ActionStatus.values()).filteredOn(ActionStatus::offersDeployment)
                .containsExactly(PENDING, RETRIEVED, RUNNING);
        assertThat(ActionStatus.values()).filteredOn(ActionStatus::offersCancel).containsExactly(CANCELING);
        assertThat(ActionStatus.values()).filteredOn(ActionStatus::isCurrent)
                .containsExactly(PENDING, RETRIEVED, RUNNING, CANCELING);
    }
}
