package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When an action waiting for the device's consent stops being offered, and which deadline the report names. */
class ConfirmationDeadlineTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    private static final String CONFIRMATION = DeviceReport.ActionExpired.CONFIRMATION_DEADLINE;

    @Test
    void aWaitingActionIsDueAtTheEarlierOfItsTwoDeadlines() {
        assertThat(waiting(T.plusSeconds(60), T.plusSeconds(10)).dueAt(false)).isEqualTo(T.plusSeconds(10));
        assertThat(waiting(T.plusSeconds(10), T.plusSeconds(60)).dueAt(false)).isEqualTo(T.plusSeconds(10));
        assertThat(waiting(null, T.plusSeconds(60)).dueAt(false)).isEqualTo(T.plusSeconds(60));
        assertThat(waiting(T.plusSeconds(60), null).dueAt(false)).isEqualTo(T.plusSeconds(60));
        assertThat(waiting(null, null).dueAt(false)).isNull();
    }

    @Test
    void onlyTheUnansweredConfirmationIsNamedAsTheReason() {
        assertThat(waiting(null, T).expiryReason(false, T)).isEqualTo(CONFIRMATION);
        assertThat(waiting(T.plusSeconds(60), T).expiryReason(false, T.plusSeconds(61))).isEqualTo(CONFIRMATION);
        // the action's own deadline came first
        assertThat(waiting(T, T.plusSeconds(60)).expiryReason(false, T.plusSeconds(61))).isNull();
        assertThat(waiting(null, T.plusSeconds(1)).expiryReason(false, T)).isNull();
    }

    @Test
    void aConfirmedAutoConfirmedOrQueuedActionHasNoConfirmationDeadline() {
        DeviceAction confirmed = waiting(null, T);
        confirmed.awaitingConfirmation = false;
        assertThat(confirmed.dueAt(false)).isNull();
        assertThat(confirmed.expiryReason(false, T.plusSeconds(1))).isNull();

        assertThat(waiting(null, T).dueAt(true)).isNull();
        assertThat(waiting(null, T).expiryReason(true, T.plusSeconds(1))).isNull();

        DeviceAction queued = waiting(T.plusSeconds(60), T);
        queued.status = ActionStatus.QUEUED;
        assertThat(queued.dueAt(false)).isEqualTo(T.plusSeconds(60));
    }

    private static DeviceAction waiting(Instant expiresAt, Instant confirmBy) {
        DeviceAction action = new DeviceAction();
        action.status = ActionStatus.PENDING;
        action.awaitingConfirmation = true;
        action.expiresAt = expiresAt;
        action.confirmBy = confirmBy;
        return action;
    }
}
