package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.DeviceReport;
import io.updraft.gateway.service.ExpirySweep;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Offline and late devices: an action past its expiresAt is not offered any more and is reported expired, once. */
@QuarkusTest
class ActionExpiryIT extends GatewayTestBase {
    /**
     * Long enough for a command to reach the gateway and a device to start on it on two busy cores (the test waits
     * for the deadline to pass, so a shorter one saves nothing but steadiness).
     */
    private static final Duration TIME_TO_LIVE = Duration.ofSeconds(10);

    @Inject
    ExpirySweep sweep;

    @Test
    void givenDeviceAwayUntilAfterItsActionExpired_whenItPollsAgain_thenItIsToldNothingAndActionExpiredIsPublishedOnce() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        Instant expiresAt = Instant.now().plus(TIME_TO_LIVE);
        TestKafka.send(Commands.install(device.id(), actionId, expiresAt, null));
        eventually().until(() -> device.offeredDeployment() != null);

        // the device goes quiet until the action's time is up (as after days offline)
        eventually().until(() -> Instant.now().isAfter(expiresAt));

        assertThat(device.poll().getMap("_links")).doesNotContainKeys("deploymentBase", "cancelAction");
        assertThat(device.poll().getString("config.polling.sleep")).isEqualTo(device.idleSleep());
        device.request().get(device.path() + "/deploymentBase/" + actionId).then().statusCode(404);
        DeviceReport.ActionExpired expired = Reports.awaitOne(device.id(), DeviceReport.ActionExpired.class);
        assertThat(expired.actionId()).isEqualTo(actionId);
        assertThat(expired.rolloutId()).isEqualTo("rollout-" + actionId);
        assertThat(expired.cohort()).isEqualTo(Commands.COHORT);
        sweep.sweep();
        Reports.awaitOne(device.id(), DeviceReport.DeviceSeen.class);
        assertThat(Reports.of(device.id(), DeviceReport.ActionExpired.class)).hasSize(1);
    }

    @Test
    void givenDeviceAwayWhileItsActionIsStillValid_whenItPollsLate_thenItGetsTheAction() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, Instant.now().plus(Duration.ofDays(7)), null));

        eventually().until(() -> device.offeredDeployment() != null);

        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
        assertThat(device.deploymentBase(actionId).getString("id")).isEqualTo(Long.toString(actionId));
        sweep.sweep();
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
        assertThat(Reports.of(device.id(), DeviceReport.ActionExpired.class)).isEmpty();
    }

    @Test
    void givenCommandAlreadyExpiredOnArrival_whenApplied_thenNeverOfferedAndTheCurrentActionIsNotSuperseded() {
        DdiDevice device = DdiDevice.random();
        long current = Commands.newActionId();
        long late = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), current));
        eventually().until(() -> device.offeredDeployment() != null);

        TestKafka.send(Commands.install(device.id(), late, Instant.now().minus(Duration.ofDays(2)), null));

        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionExpired.class).actionId()).isEqualTo(late);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + current);
        assertThat(Reports.of(device.id(), DeviceReport.ActionCanceled.class)).isEmpty();
    }

    @Test
    void givenDevicesThatNeverComeBack_whenTheSweepRuns_thenUnstartedActionsExpireOnceAndStartedOnesRunOn() {
        DdiDevice silent = DdiDevice.random();
        DdiDevice working = DdiDevice.random();
        long silentAction = Commands.newActionId();
        long workingAction = Commands.newActionId();
        Instant expiresAt = Instant.now().plus(TIME_TO_LIVE);
        TestKafka.send(Commands.install(silent.id(), silentAction, expiresAt, null));
        TestKafka.send(Commands.install(working.id(), workingAction, expiresAt, null));
        eventually().until(() -> working.offeredDeployment() != null);
        working.deploymentBase(workingAction);
        assertThat(working.feedback(workingAction, "proceeding", "none")).isEqualTo(200);
        eventually().until(() -> Instant.now().isAfter(expiresAt));

        sweep.sweep();
        sweep.sweep();

        assertThat(Reports.awaitOne(silent.id(), DeviceReport.ActionExpired.class).actionId()).isEqualTo(silentAction);
        // the device that already started keeps its action and its outcome counts
        assertThat(working.offeredDeployment()).contains("/deploymentBase/" + workingAction);
        assertThat(working.feedback(workingAction, "closed", "success")).isEqualTo(200);
        assertThat(Reports.awaitOne(working.id(), DeviceReport.ActionFinished.class).actionId()).isEqualTo(workingAction);
        assertThat(Reports.of(working.id(), DeviceReport.ActionExpired.class)).isEmpty();
        assertThat(Reports.of(silent.id(), DeviceReport.ActionExpired.class)).hasSize(1);
    }
}
