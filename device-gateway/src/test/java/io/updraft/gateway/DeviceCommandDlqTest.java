package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.Topics;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeviceCommandDlqTest extends GatewayTestBase {

    @Test
    void givenUnreadableCommands_whenConsumed_thenParkedOnTheDlqAndLaterCommandsStillApplied() {
        DdiDevice device = DdiDevice.random();
        String garbage = "{not json " + UUID.randomUUID();
        String unknownType = "{\"type\":\"SelfDestructRequested\",\"eventId\":\"" + UUID.randomUUID()
                + "\",\"deviceId\":\"" + device.id() + "\",\"actionId\":1}";

        Kafka.send(Topics.DEVICE_COMMANDS, device.id(), garbage);
        Kafka.send(Topics.DEVICE_COMMANDS, device.id(), unknownType);
        long actionId = Commands.newActionId();
        Kafka.send(Commands.install(device.id(), actionId));

        String dlq = Topics.deadLetter(Topics.DEVICE_COMMANDS);
        eventually().until(() -> Kafka.values(dlq, device.id()).containsAll(java.util.List.of(garbage, unknownType)));
        eventually().until(() -> device.offeredDeployment() != null);
        assertThat(device.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }
}
