package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A wave's InstallRequested leave through {@code CommandDispatcher}, streamed from the committed actions in chunks
 * (50 per chunk in tests): each device once, a chunk re-sent after a crash with the same event ids, and a cancel
 * never overtaking the install it cancels.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class CommandDispatchIT extends WatchedTopicsTest {
    @Inject
    DataSource dataSource;


    @Test
    void a_wave_larger_than_a_chunk_reaches_every_device_once_and_a_resent_chunk_keeps_its_event_ids()
            throws Exception {
        String rolloutId = rolloutOver(fleet(130));
        List<InstallRequested> sent = awaitInstalls(rolloutId, 130);
        assertThat(sent).extracting(InstallRequested::deviceId).doesNotHaveDuplicates();
        assertThat(sent).extracting(InstallRequested::actionId).doesNotHaveDuplicates();

        // when a crash had struck before the cursor moved: the wave's dispatch row is back at its start
        try (Connection connection = dataSource.getConnection();
                PreparedStatement replay = connection.prepareStatement(
                        "insert into command_dispatch (rollout_id, wave, last_action_id, created_at, tenant_id)"
                                + " values (?, 1, 0, now(), 'DEFAULT')")) {
            replay.setString(1, rolloutId);
            replay.executeUpdate();
        }

        // then the commands are sent again under the same event ids, which the gateway's inbox drops
        List<InstallRequested> again = awaitInstalls(rolloutId, 260);
        Map<String, Long> actionOfEvent = new HashMap<>();
        again.forEach(command -> assertThat(actionOfEvent.putIfAbsent(command.eventId(), command.actionId()))
                .as("event id %s names one action", command.eventId()).isIn(null, command.actionId()));
        assertThat(actionOfEvent).hasSize(130);
    }

    @Test
    void an_abort_while_a_wave_is_being_sent_cancels_each_device_after_its_install_and_sends_nothing_after()
            throws Exception {
        String rolloutId = rolloutOver(inventory(3000));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> !installs(rolloutId).isEmpty());
        Api.asOperator().body(Map.of("reason", "stop")).post("/api/v1/rollouts/" + rolloutId + "/abort")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutAborted.class,
                        event -> event.rolloutId().equals(rolloutId)).isEmpty());

        // the abort ends the dispatch: each action created before it is canceled (after its install, if that was
        // sent), and the devices the dispatcher had not reached get nothing
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> commandsByDevice(rolloutId).size() == count("select count(*) from device_action"
                        + " where rollout_id = ? and not rollback", rolloutId)
                        && commandsByDevice(rolloutId).values().stream().allMatch(
                                sequence -> sequence.get(sequence.size() - 1) instanceof CancelRequested));
        assertThat(count("select count(*) from command_dispatch where rollout_id = ?", rolloutId)).isZero();
        Map<String, List<DeviceCommand>> byDevice = commandsByDevice(rolloutId);
        long installed = byDevice.values().stream().filter(sequence -> sequence.size() == 2).count();
        // an install that was sent waits for the device's answer (CANCELING); one never sent is CANCELED at once
        assertThat(count("select count(*) from device_action where rollout_id = ? and state = 'CANCELING'",
                rolloutId)).isEqualTo(installed);
        assertThat(count("select count(*) from device_action where rollout_id = ? and state = 'CANCELED'",
                rolloutId)).isEqualTo(byDevice.size() - installed);
        System.out.printf("abort mid-dispatch: of 3000 devices, %d got their install (then a cancel), %d only a"
                + " cancel, %d nothing%n", installed, byDevice.size() - installed, 3000 - byDevice.size());
        assertThat(installed).as("the abort came after the first installs").isPositive();
        assertThat(byDevice.values()).allSatisfy(sequence -> {
            assertThat(sequence).hasSizeBetween(1, 2);
            if (sequence.size() == 2) {
                assertThat(sequence.get(0)).isInstanceOf(InstallRequested.class);
            }
        });
    }

    private long count(String sql, String rolloutId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, rolloutId);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<String> fleet(int size) {
        String model = Fleet.uniqueModel();
        List<String> devices = IntStream.range(0, size).mapToObj(i -> model + String.format("-%04d", i)).toList();
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        TestKafka.send(Fleet.release(model + "-release", "2.0.0", model));
        return devices;
    }

    /** Devices written straight into the inventory table (as the report consumer would), for a larger wave. */
    private List<String> inventory(int size) throws Exception {
        String model = Fleet.uniqueModel();
        List<String> devices = IntStream.range(0, size).mapToObj(i -> model + String.format("-%04d", i)).toList();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into device (device_id, attributes, model, revision, last_seen, tenant_id)
                        values (?, cast(? as jsonb), ?, '1', now(), 'DEFAULT')""")) {
            for (String device : devices) {
                insert.setString(1, device);
                insert.setString(2, "{\"model\":\"" + model + "\",\"revision\":\"1\"}");
                insert.setString(3, model);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        TestKafka.send(Fleet.release(model + "-release", "2.0.0", model));
        return devices;
    }

    private String rolloutOver(List<String> devices) {
        String model = devices.get(0).substring(0, devices.get(0).lastIndexOf('-'));
        String releaseId = model + "-release";
        Api.awaitRelease(releaseId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Api.asViewer().get("/api/v1/devices?model=" + model + "&size=1").jsonPath()
                        .getInt("total") == devices.size());
        return Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(100), "soakTime", "PT1S")).then().statusCode(201).extract().path("id");
    }

    private List<InstallRequested> installs(String rolloutId) {
        return commands.events(DeviceCommand.class, InstallRequested.class, c -> c.rolloutId().equals(rolloutId));
    }

    private List<InstallRequested> awaitInstalls(String rolloutId, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> installs(rolloutId), list -> list.size() >= count);
    }

    /** The rollout's commands per device, in the order they are on the topic (a device's commands share a partition). */
    private Map<String, List<DeviceCommand>> commandsByDevice(String rolloutId) {
        Map<String, List<DeviceCommand>> byDevice = new HashMap<>();
        for (String value : commands.values()) {
            DeviceCommand command = EventJson.read(value, DeviceCommand.class);
            String owner = command instanceof InstallRequested install ? install.rolloutId()
                    : ((CancelRequested) command).rolloutId();
            if (owner.equals(rolloutId)) {
                byDevice.computeIfAbsent(command.deviceId(), device -> new java.util.ArrayList<>()).add(command);
            }
        }
        return byDevice;
    }
}
