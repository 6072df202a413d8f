package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.updraft.events.ActionType;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory decisions of a polled batch: each case is what applying the commands one by one gives. */
class IntakePlanTest {
    private static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");

    @Test
    void givenTwoInstallsForAFreshDevice_whenPlanned_thenTheFirstIsWithdrawnAndReportedAndTheSecondIsPending() {
        IntakePlan plan = plan(List.of(), install("d", 1), install("d", 2));

        assertThat(plan.created()).extracting(a -> a.actionId, a -> a.status)
                .containsExactly(tuple(1L, ActionStatus.CANCELED), tuple(2L, ActionStatus.PENDING));
        assertThat(plan.reports()).singleElement().isInstanceOfSatisfying(DeviceReport.ActionCanceled.class,
                canceled -> assertThat(canceled.actionId()).isEqualTo(1));
        assertThat(plan.leaving()).isEmpty();
        assertThat(plan.entering()).isEmpty();
        assertThat(plan.changedDevices()).containsExactly("d");
        DeviceAction first = plan.created().get(0);
        DeviceAction second = plan.created().get(1);
        assertThat(second.createdAt).as("created in command order").isAfter(first.createdAt);
        assertThat(first.updatedAt).as("withdrawn when the second arrived, just before it was created")
                .isAfter(first.createdAt).isBefore(second.createdAt);
    }

    @Test
    void givenAFetchedAction_whenTwoInstallsArrive_thenItIsAskedToCancelOnceAndOnlyTheLastWaitsBehindIt() {
        DeviceAction fetched = stored("d", 10, ActionStatus.RETRIEVED);

        IntakePlan plan = plan(List.of(fetched), install("d", 11), install("d", 12));

        assertThat(plan.entering()).containsExactly(fetched);
        assertThat(fetched.status).isEqualTo(ActionStatus.CANCELING);
        assertThat(plan.created()).extracting(a -> a.actionId, a -> a.status)
                .containsExactly(tuple(11L, ActionStatus.CANCELED), tuple(12L, ActionStatus.QUEUED));
        assertThat(plan.reports()).extracting(report -> ((DeviceReport.ActionCanceled) report).actionId())
                .containsExactly(11L);
    }

    @Test
    void givenAPendingAction_whenCanceledAndANewInstallArrives_thenTheOldOneLeavesBeforeTheNewOneIsCurrent() {
        DeviceAction pending = stored("d", 20, ActionStatus.PENDING);
        DeviceAction otherDevice = stored("e", 30, ActionStatus.RUNNING);

        IntakePlan plan = plan(List.of(pending, otherDevice), cancel("d", 20), install("d", 21), cancel("d", 30));

        assertThat(plan.leaving()).containsExactly(pending);
        assertThat(pending.status).isEqualTo(ActionStatus.CANCELED);
        assertThat(otherDevice.status).as("a cancel naming another device's action").isEqualTo(ActionStatus.RUNNING);
        assertThat(plan.created()).extracting(a -> a.status).containsExactly(ActionStatus.PENDING);
        assertThat(plan.reports()).hasSize(1);
    }

    @Test
    void givenAnInstallAndItsCancelInOneBatch_whenPlanned_thenItIsCreatedCanceledAndReportedOnce() {
        IntakePlan plan = plan(List.of(), install("d", 1), cancel("d", 1), cancel("d", 1));

        assertThat(plan.created()).extracting(a -> a.status).containsExactly(ActionStatus.CANCELED);
        assertThat(plan.reports()).hasSize(1);
    }

    @Test
    void givenAnExpiredInstall_whenPlanned_thenItIsRecordedExpiredAndSupersedesNothing() {
        DeviceAction fetched = stored("d", 10, ActionStatus.RETRIEVED);
        DeviceCommand.InstallRequested expired = install("d", 11, NOW.minusSeconds(1));

        IntakePlan plan = plan(List.of(fetched), expired, install("d", 12, NOW));

        assertThat(fetched.status).as("an expiry due now counts as expired, and supersedes nothing")
                .isEqualTo(ActionStatus.RETRIEVED);
        assertThat(plan.created()).extracting(a -> a.status)
                .containsExactly(ActionStatus.EXPIRED, ActionStatus.EXPIRED);
        assertThat(plan.reports()).allMatch(DeviceReport.ActionExpired.class::isInstance).hasSize(2);
        assertThat(plan.entering()).isEmpty();
    }

    @Test
    void givenAKnownActionId_whenInstalledAgain_thenIgnored() {
        DeviceAction finished = stored("other", 40, ActionStatus.FINISHED);

        IntakePlan plan = plan(List.of(finished), install("d", 40), install("d", 41), install("d", 41));

        assertThat(plan.created()).extracting(a -> a.actionId, a -> a.status)
                .containsExactly(tuple(41L, ActionStatus.PENDING));
        assertThat(plan.reports()).isEmpty();
        assertThat(finished.status).isEqualTo(ActionStatus.FINISHED);
    }

    @Test
    void givenAQueuedActionBehindACancelingOne_whenCanceled_thenWithdrawnAndTheCancelingOneIsUntouched() {
        DeviceAction canceling = stored("d", 50, ActionStatus.CANCELING);
        DeviceAction queued = stored("d", 51, ActionStatus.QUEUED);

        IntakePlan plan = plan(List.of(canceling, queued), cancel("d", 51), cancel("d", 50), install("d", 52));

        assertThat(queued.status).isEqualTo(ActionStatus.CANCELED);
        assertThat(canceling.status).isEqualTo(ActionStatus.CANCELING);
        assertThat(plan.leaving()).containsExactly(queued);
        assertThat(plan.entering()).isEmpty();
        assertThat(plan.created()).extracting(a -> a.status).containsExactly(ActionStatus.QUEUED);
    }

    @Test
    void givenACancelOfAnUnknownAction_whenPlanned_thenNothingChanges() {
        IntakePlan plan = plan(List.of(), cancel("d", 60));

        assertThat(plan.created()).isEmpty();
        assertThat(plan.reports()).isEmpty();
        assertThat(plan.changedDevices()).isEmpty();
    }

    private static IntakePlan plan(List<DeviceAction> stored, DeviceCommand... commands) {
        IntakePlan plan = new IntakePlan(new ArrayList<>(stored), NOW);
        for (DeviceCommand command : commands) {
            plan.apply(command);
        }
        return plan;
    }

    private static DeviceAction stored(String device, long actionId, ActionStatus status) {
        DeviceAction action = new DeviceAction();
        action.actionId = actionId;
        action.controllerId = device;
        action.status = status;
        DeviceCommand.InstallRequested command = install(device, actionId);
        action.commandEventId = command.eventId();
        action.command = EventJson.write(command);
        action.createdAt = NOW.minusSeconds(60);
        action.updatedAt = action.createdAt;
        return action;
    }

    private static DeviceCommand.InstallRequested install(String device, long actionId) {
        return install(device, actionId, null);
    }

    private static DeviceCommand.InstallRequested install(String device, long actionId, Instant expiresAt) {
        return new DeviceCommand.InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, actionId, "rollout-1", 1, "board:1.0", "release-1", "fw", "1.1.0", List.of(),
                ActionType.FORCED, null, false, expiresAt, null);
    }

    private static DeviceCommand.CancelRequested cancel(String device, long actionId) {
        return new DeviceCommand.CancelRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                device, actionId, "rollout-1", "operator canceled");
    }
}
