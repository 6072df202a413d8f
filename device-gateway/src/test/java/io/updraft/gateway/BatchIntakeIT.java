package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.DevStack;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.gateway.messaging.DeviceCommandConsumer;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A polled batch of device-commands applied set-based gives exactly what applying its records one at a time gives.
 * The same mixed batch runs three times, each time on its own devices: set-based as one polled batch, set-based one
 * record per batch, and through the per-command path (what every command took before, and
 * what a failed batch's records take), all on the real database and broker; the resulting actions, reports and
 * poll answers must agree with each other and with what the rules say.
 */
@QuarkusTest
class BatchIntakeIT extends GatewayTestBase {
    /** Per device of the scenario, its actions (in creation order) as they must end. */
    private static final Map<String, List<String>> ACTIONS = new TreeMap<>(Map.of(
            "A", List.of("A1 CANCELED", "A2 PENDING"),
            "B", List.of("B1 CANCELED"),
            "C", List.of("C1 EXPIRED", "C2 PENDING"),
            "D", List.of("D1 PENDING"),
            "E", List.of("E1 PENDING"),
            "F", List.of("F0 CANCELING", "F1 CANCELED", "F2 QUEUED"),
            "G", List.of("G0 CANCELED", "G1 PENDING")));
    /** Per device, the action reports the batch must publish, in order. */
    private static final Map<String, List<String>> REPORTS = new TreeMap<>(Map.of(
            "A", List.of("ActionCanceled A1"),
            "B", List.of("ActionCanceled B1"),
            "C", List.of("ActionExpired C1"),
            "D", List.of(),
            "E", List.of(),
            "F", List.of("ActionCanceled F1"),
            "G", List.of("ActionCanceled G0")));

    @Inject
    DeviceCommandConsumer consumer;
    @Inject
    EntityManager entityManager;
    @Inject
    DeviceRepository devices;

    @Test
    void givenAMixedBatch_whenAppliedAsOneBatch_thenItEndsAsAppliedOneAtATime() {
        Scenario batch = new Scenario();
        Scenario oneRecordPerBatch = new Scenario();
        Scenario perCommand = new Scenario();

        List<ConsumerRecord<String, String>> batchRecords = batch.records();
        long outboxBefore = outboxSequence();
        applySetBased(batchRecords); // not through onCommands: its per-record fallback would hide a failing batch
        long outboxAfter = outboxSequence();
        consumer.onCommands(polled(batchRecords)); // redelivered whole, as after a crash before the offset commit
        assertThat(outboxSequence()).as("a redelivered batch writes no report").isEqualTo(outboxAfter);
        assertThat(outboxAfter - outboxBefore).as("one report per withdrawn or expired action").isEqualTo(5);

        oneRecordPerBatch.records().forEach(record -> applySetBased(List.of(record)));
        perCommand.records().forEach(record -> QuarkusTransaction.requiringNew()
                .run(() -> consumer.applyOne(defaults(EventJson.read(record.value(), DeviceCommand.class)))));

        for (Scenario scenario : List.of(batch, oneRecordPerBatch, perCommand)) {
            assertThat(scenario.actions()).as("actions").isEqualTo(ACTIONS);
            eventually().untilAsserted(() -> assertThat(scenario.reports()).as("reports").isEqualTo(REPORTS));
            assertThat(deviceExists(scenario.device("X"))).as("a cancel does not create an unknown device").isFalse();
            assertThat(scenario.ddi("A").offeredDeployment()).contains("/deploymentBase/" + scenario.action("A2"));
            assertThat(scenario.ddi("B").offeredDeployment()).isNull();
            assertThat(scenario.ddi("C").offeredDeployment()).contains("/deploymentBase/" + scenario.action("C2"));
            assertThat(scenario.ddi("F").offeredCancel()).endsWith("/cancelAction/" + scenario.action("F0"));
            assertThat(scenario.ddi("G").offeredDeployment()).contains("/deploymentBase/" + scenario.action("G1"));
        }
    }

    @Test
    void givenABatchWithACommandTheDatabaseRefuses_whenApplied_thenTheOthersAreAppliedAndOnlyItIsParked() {
        Scenario scenario = new Scenario();
        // readable, with a valid deviceId, but an eventId the inbox cannot hold (processed_event.event_id is
        // varchar(64)); an over-long deviceId no longer gets this far, it is parked when read
        DeviceCommand.InstallRequested valid = Commands.install(scenario.device("R"), Commands.newActionId());
        DeviceCommand.InstallRequested refused = new DeviceCommand.InstallRequested("e".repeat(100),
                valid.occurredAt(), valid.schemaVersion(), valid.deviceId(), valid.actionId(), valid.rolloutId(),
                valid.wave(), valid.cohort(), valid.releaseId(), valid.releaseName(), valid.version(),
                valid.artifacts(), valid.actionType(), valid.deadline(), valid.rollback(), valid.expiresAt(),
                valid.maintenanceWindow());
        List<ConsumerRecord<String, String>> records = List.of(
                record(Commands.install(scenario.device("P"), scenario.action("P1")), 0),
                record(refused, 1),
                record(Commands.install(scenario.device("Q"), scenario.action("Q1")), 2));

        consumer.onCommands(polled(records));

        assertThat(scenario.actions()).isEqualTo(Map.of("P", List.of("P1 PENDING"), "Q", List.of("Q1 PENDING")));
        String dlq = Topics.deadLetter(Topics.DEVICE_COMMANDS);
        eventually().until(() -> TestKafka.values(dlq, refused.deviceId()).contains(EventJson.write(refused)));
        assertThat(TestKafka.headersOf(dlq, EventJson.write(refused)).get("dead-letter-reason")).isNotBlank();
    }

    @Test
    void givenKnownAndUnknownDevices_whenLockedForABatch_thenKnownOnesAreRowLockedAndOnlyInstallsCreateDevices()
            throws Exception {
        Scenario scenario = new Scenario();
        QuarkusTransaction.requiringNew().run(() -> devices.lockOrCreateAll(TenantIds.DEFAULT, List.of(scenario.device("K")), List.of()));

        try (Connection other = DriverManager.getConnection(DevStack.shared().jdbcUrl("gateway"), "postgres",
                "postgres")) {
            QuarkusTransaction.requiringNew().run(() -> {
                devices.lockOrCreateAll(TenantIds.DEFAULT, List.of(scenario.device("K"), scenario.device("N")),
                        List.of(scenario.device("U")));
                // as a poll, a feedback or another replica's batch would try: the known row is taken
                assertThatThrownBy(() -> lockNowait(other, scenario.device("K")))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            });
        }
        assertThat(deviceExists(scenario.device("N"))).as("created for an install").isTrue();
        assertThat(deviceExists(scenario.device("U"))).as("not created for a cancel").isFalse();
    }

    private static void lockNowait(Connection connection, String controllerId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "select 1 from device where controller_id = ? for update nowait")) {
            lock.setString(1, controllerId);
            lock.executeQuery().close();
        }
    }

    /** One copy of the scenario, on devices and action ids of its own. */
    private final class Scenario {
        private final String prefix = "batch-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        private final Map<String, Long> actionIds = new HashMap<>();

        String device(String name) {
            return prefix + name;
        }

        long action(String name) {
            return actionIds.computeIfAbsent(name, n -> Commands.newActionId());
        }

        DdiDevice ddi(String name) {
            return new DdiDevice(device(name));
        }

        /** Sets the devices up (F fetched F0, G was offered G0), then answers the mixed batch, in offset order. */
        List<ConsumerRecord<String, String>> records() {
            apply(Commands.install(device("F"), action("F0")));
            apply(Commands.install(device("G"), action("G0")));
            assertThat(ddi("F").offeredDeployment()).contains("/deploymentBase/" + action("F0"));
            ddi("F").deploymentBase(action("F0"));

            DeviceCommand.InstallRequested d1 = Commands.install(device("D"), action("D1"));
            List<DeviceCommand> commands = List.of(
                    Commands.install(device("A"), action("A1")),
                    Commands.install(device("B"), action("B1")),
                    Commands.install(device("A"), action("A2")),
                    Commands.cancel(device("B"), action("B1")),
                    Commands.install(device("C"), action("C1"), Instant.now().minusSeconds(60), null),
                    Commands.install(device("C"), action("C2")),
                    d1,
                    d1, // the same event twice
                    Commands.install(device("E"), action("E1")),
                    Commands.install(device("E"), action("E1")), // a known action id, in a new event
                    Commands.install(device("E"), action("G0")), // another device's action id
                    Commands.install(device("F"), action("F1")),
                    Commands.install(device("F"), action("F2")),
                    Commands.cancel(device("G"), action("G0")),
                    Commands.install(device("G"), action("G1")),
                    Commands.cancel(device("X"), action("X1")), // an unknown device
                    Commands.cancel(device("A"), action("F0"))); // another device's action
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            for (DeviceCommand command : commands) {
                records.add(record(command, records.size()));
            }
            return records;
        }

        private void apply(DeviceCommand command) {
            QuarkusTransaction.requiringNew().run(() -> consumer.applyOne(defaults(command)));
        }

        /** Device name → "action status" in creation order, action ids replaced by their names. */
        Map<String, List<String>> actions() {
            Map<Long, String> names = new HashMap<>();
            actionIds.forEach((name, id) -> names.put(id, name));
            Map<String, List<String>> byDevice = new TreeMap<>();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                    "select controller_id, action_id, status from device_action where controller_id like ?1"
                            + " order by controller_id, created_at")
                    .setParameter(1, prefix + "%").getResultList());
            for (Object[] row : rows) {
                String device = ((String) row[0]).substring(prefix.length());
                String action = names.getOrDefault(((Number) row[1]).longValue(), "?" + row[1]);
                byDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(action + " " + row[2]);
            }
            return byDevice;
        }

        /** Device name → its ActionCanceled / ActionExpired reports as read back from device-reports. */
        Map<String, List<String>> reports() {
            Map<Long, String> names = new HashMap<>();
            actionIds.forEach((name, id) -> names.put(id, name));
            Map<String, List<String>> byDevice = new TreeMap<>();
            for (String device : ACTIONS.keySet()) {
                List<String> reports = new ArrayList<>();
                for (DeviceReport report : Reports.of(device(device), DeviceReport.class)) {
                    if (report instanceof DeviceReport.ActionCanceled canceled) {
                        reports.add("ActionCanceled " + names.get(canceled.actionId()));
                    } else if (report instanceof DeviceReport.ActionExpired expired) {
                        reports.add("ActionExpired " + names.get(expired.actionId()));
                    }
                }
                byDevice.put(device, reports);
            }
            return byDevice;
        }
    }

    private static DeviceCommandConsumer.TenantCommand defaults(DeviceCommand command) {
        return new DeviceCommandConsumer.TenantCommand(TenantIds.DEFAULT, command);
    }

    /** The set-based path alone, in one transaction, as a polled batch's readable records take it. */
    private void applySetBased(List<ConsumerRecord<String, String>> records) {
        List<DeviceCommandConsumer.TenantCommand> commands = records.stream()
                .map(record -> defaults(EventJson.read(record.value(), DeviceCommand.class))).toList();
        QuarkusTransaction.requiringNew().run(() -> consumer.applyAll(commands));
    }

    /** As the broker hands a poll over: each device's records on one of six partitions, in offset order. */
    private static ConsumerRecords<String, String> polled(List<ConsumerRecord<String, String>> records) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            byPartition.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
                    .add(record);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static ConsumerRecord<String, String> record(DeviceCommand command, long offset) {
        return new ConsumerRecord<>(Topics.DEVICE_COMMANDS, Math.floorMod(command.deviceId().hashCode(), 6), offset,
                command.deviceId(), EventJson.write(command));
    }

    private boolean deviceExists(String controllerId) {
        return QuarkusTransaction.requiringNew().call(() -> !entityManager.createNativeQuery(
                "select 1 from device where controller_id = ?1").setParameter(1, controllerId).getResultList()
                .isEmpty());
    }

    private long outboxSequence() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select last_value from outbox_id_seq").getSingleResult()).longValue());
    }
}
