package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
class DeviceCommandDlqIT extends GatewayTestBase {
    private static final String DLQ = Topics.deadLetter(Topics.DEVICE_COMMANDS);

    @Inject
    EntityManager entityManager;

    @Test
    void givenUnreadableCommands_whenConsumed_thenParkedOnTheDlqAndLaterCommandsStillApplied() {
        DdiDevice device = DdiDevice.random();
        String garbage = "{not json " + UUID.randomUUID();
        String unknownType = "{\"type\":\"SelfDestructRequested\",\"eventId\":\"" + UUID.randomUUID()
                + "\",\"deviceId\":\"" + device.id() + "\",\"actionId\":1}";

        TestKafka.send(Topics.DEVICE_COMMANDS, device.id(), garbage);
        TestKafka.send(Topics.DEVICE_COMMANDS, device.id(), unknownType);
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));

        eventually().until(() -> TestKafka.values(DLQ, device.id()).containsAll(List.of(garbage, unknownType)));
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    @Test
    void givenInstallsWithAnUnsupportedOrMissingSchemaVersion_whenConsumed_thenParkedWithTheReasonAndNothingApplied()
            throws JsonProcessingException {
        DdiDevice device = DdiDevice.random();
        device.poll();
        long future = Commands.newActionId();
        long unversioned = Commands.newActionId();
        String fromTheFuture = withSchemaVersion(Commands.install(device.id(), future), 999);
        String withoutVersion = withSchemaVersion(Commands.install(device.id(), unversioned), null);

        TestKafka.send(Topics.DEVICE_COMMANDS, device.id(), fromTheFuture);
        TestKafka.send(Topics.DEVICE_COMMANDS, device.id(), withoutVersion);
        long good = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), good));

        eventually().until(() -> TestKafka.values(DLQ, device.id()).containsAll(List.of(fromTheFuture, withoutVersion)));
        assertThat(TestKafka.headersOf(DLQ, fromTheFuture).get("dead-letter-reason")).contains("schemaVersion 999");
        assertThat(TestKafka.headersOf(DLQ, withoutVersion).get("dead-letter-reason")).contains("schemaVersion 0");
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + good);
        GatewayDatabase database = new GatewayDatabase(entityManager);
        assertThat(database.actionStatus(future)).isNull();
        assertThat(database.actionStatus(unversioned)).isNull();
    }

    @Test
    void givenCommandsWhoseDeviceIdIsNoIdentifier_whenConsumed_thenParkedWithTheReasonAndNoDeviceStored() {
        DdiDevice device = DdiDevice.random();
        List<String> badIds = List.of(device.id() + "\u0000", "d" + "x".repeat(200), device.id() + "/evil x",
                device.id() + "\r\n", "");
        List<String> poisoned = badIds.stream()
                .map(id -> EventJson.write(Commands.install(id, Commands.newActionId())))
                .toList();

        // keyed by the test's device, so that the parked records can be found by key
        poisoned.forEach(record -> TestKafka.send(Topics.DEVICE_COMMANDS, device.id(), record));
        long good = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), good));

        eventually().until(() -> TestKafka.values(DLQ, device.id()).containsAll(poisoned));
        assertThat(poisoned).allSatisfy(record -> assertThat(TestKafka.headersOf(DLQ, record).get("dead-letter-reason"))
                .containsAnyOf("key field"));
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + good);
        GatewayDatabase database = new GatewayDatabase(entityManager);
        // (an id with NUL cannot even be looked up in PostgreSQL, let alone stored)
        assertThat(badIds.stream().filter(id -> id.indexOf('\u0000') < 0))
                .allSatisfy(id -> assertThat(database.deviceExists(id)).as(id).isFalse());
    }

    /**
     * A cancel for an action the gateway never saw is applied as a no-op, not parked: a rollout aborted after one of
     * its installs was parked (or already ended) cancels every device's action, and each such cancel is harmless —
     * hawkBit, too, has nothing to cancel then. Nothing is created or reported, and the device's own action goes on.
     */
    @Test
    void givenACancelForAnActionTheGatewayNeverSaw_whenConsumed_thenNothingChangesAndLaterCommandsApply() {
        DdiDevice device = DdiDevice.random();
        long pending = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), pending));
        eventually().until(() -> device.offeredDeployment() != null);
        GatewayDatabase database = new GatewayDatabase(entityManager);
        long outboxBefore = database.outboxSequence();
        long neverSeen = Commands.newActionId();
        DdiDevice unknownDevice = DdiDevice.random();

        TestKafka.send(Commands.cancel(device.id(), neverSeen));
        TestKafka.send(Commands.cancel(unknownDevice.id(), neverSeen));
        long next = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), next));

        // the install after the cancels supersedes the never-fetched pending action: the cancels were applied first
        eventually().until(() -> device.offeredDeployment() != null
                && device.offeredDeployment().contains("/deploymentBase/" + next));
        assertThat(database.actionStatus(neverSeen)).isNull();
        assertThat(database.deviceExists(unknownDevice.id())).isFalse();
        assertThat(database.actionStatus(pending)).isEqualTo("CANCELED");
        assertThat(database.outboxSequence() - outboxBefore).as("only the superseded action's ActionCanceled")
                .isEqualTo(1);
        assertThat(TestKafka.values(DLQ, device.id())).isEmpty();
    }

    /** The event's JSON with another schemaVersion, or none at all (null). */
    private static String withSchemaVersion(UpdraftEvent event, Integer version) throws JsonProcessingException {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(EventJson.write(event));
        if (version == null) {
            json.remove("schemaVersion");
        } else {
            json.put("schemaVersion", version);
        }
        return json.toString();
    }
}
