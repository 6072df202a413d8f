package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.TenantIds;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.messaging.DeviceReportConsumer;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A polled batch of device-reports applied set-based gives exactly what applying its records one at a time gives.
 * The same mixed batch runs three times, each on a rollout and devices of its own: set-based as one polled batch,
 * set-based one record per batch, and through the per-report path (what every report took before, and what a failed
 * batch's records take), on the real database and broker; the resulting actions, wave counters, wave state, device
 * rows and the events the outbox relayed must agree with each other and with what the rules say.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class BatchReportsIT extends WatchedTopicsTest {
    /** Per device of the scenario, its actions in id order, as they must end ("rollback" marks rollback actions). */
    private static final Map<String, List<String>> ACTIONS = new TreeMap<>(Map.of(
            "A", List.of("SUCCEEDED"),
            "B", List.of("SUCCEEDED"),
            "C", List.of("RETRIED", "SCHEDULED"),
            "D", List.of("RETRIED", "FAILED"),
            "E", List.of("EXPIRED"),
            "F", List.of("SCHEDULED"),
            "I", List.of("SCHEDULED"),
            "J", List.of("SUCCEEDED", "rollback SUCCEEDED"),
            "K", List.of("SUCCEEDED", "rollback SCHEDULED")));
    /**
     * Per cohort revision: devices, succeeded, failed, canceled, expired of wave 1 (K, whose install its cohort's
     * rollback was canceling, installed anyway: its success counts).
     */
    private static final Map<String, List<Integer>> COUNTERS = new TreeMap<>(Map.of(
            "1", List.of(7, 2, 1, 0, 1),
            "2", List.of(2, 2, 0, 0, 0)));
    /**
     * Per device: installed release, installed version, last seen (seconds after the scenario's base time), the
     * attribute "region".
     */
    private static final Map<String, List<String>> DEVICES = new TreeMap<>(Map.ofEntries(
            Map.entry("A", List.of("new", "2.0.0", "12", "null")),
            Map.entry("B", List.of("new", "2.0.0", "13", "null")),
            Map.entry("C", List.of("old", "1.0.0", "14", "null")),
            Map.entry("D", List.of("old", "1.0.0", "15", "null")),
            // E reported A's action: the action is not E's, but what E runs is a fact
            Map.entry("E", List.of("new", "2.0.0", "22", "null")),
            // a heartbeat older than the stored one does not take it back
            Map.entry("F", List.of("old", "1.0.0", "100", "null")),
            // the redelivered first report does not undo the second
            Map.entry("I", List.of("y", "0.9.1", "18", "null")),
            Map.entry("J", List.of("old", "1.0.0", "20", "null")),
            Map.entry("K", List.of("new", "2.0.0", "19", "null")),
            // registered in the batch, its attributes replaced later in the batch
            Map.entry("N", List.of("null", "null", "25", "us"))));
    /** The commands and rollout events the scenario produces (setup and batch), type and device. */
    private static final List<String> COMMANDS = List.of("CancelRequested K",
            "InstallRequested A new", "InstallRequested B new", "InstallRequested C new", "InstallRequested C new",
            "InstallRequested D new", "InstallRequested D new", "InstallRequested E new", "InstallRequested F new",
            "InstallRequested I new", "InstallRequested J new", "InstallRequested J old rollback",
            "InstallRequested K new", "InstallRequested K old rollback");
    private static final List<String> RETRIES = List.of("RolloutActionRetried C attempt 2",
            "RolloutActionRetried D attempt 2");

    @Inject
    DeviceReportConsumer consumer;
    @Inject
    EntityManager entityManager;

    @Test
    void givenAMixedBatch_whenAppliedAsOneBatch_thenItEndsAsAppliedOneAtATime() {
        Scenario batch = new Scenario();
        Scenario oneRecordPerBatch = new Scenario();
        Scenario perReport = new Scenario();

        List<DeviceReport> batchReports = batch.reports();
        applySetBased(batchReports); // not through onReports: its per-record fallback would hide a failing batch
        long outboxAfter = outboxSequence();
        Map<String, List<String>> actionsAfter = batch.actions();
        consumer.onReports(polled(batchReports)); // redelivered whole, as after a crash before the offset commit
        assertThat(outboxSequence()).as("a redelivered batch writes no event").isEqualTo(outboxAfter);
        assertThat(batch.actions()).as("a redelivered batch changes no action").isEqualTo(actionsAfter);

        oneRecordPerBatch.reports().forEach(report -> applySetBased(List.of(report)));
        perReport.reports().forEach(report -> applyOneAlone(report));

        for (Scenario scenario : List.of(batch, oneRecordPerBatch, perReport)) {
            assertThat(scenario.actions()).as("actions").isEqualTo(ACTIONS);
            assertThat(scenario.counters()).as("wave counters").isEqualTo(COUNTERS);
            assertThat(scenario.waveState()).as("4 of the 7 active devices finished: the wave soaks").isEqualTo(
                    "SOAKING");
            assertThat(scenario.devices()).as("devices").isEqualTo(DEVICES);
            eventually().untilAsserted(() -> {
                assertThat(scenario.commands()).as("device-commands").isEqualTo(COMMANDS);
                assertThat(scenario.retries()).as("rollout-events").isEqualTo(RETRIES);
            });
        }
    }

    @Test
    void givenABatchWithAReportTheDatabaseRefuses_whenApplied_thenTheOthersAreAppliedAndOnlyItIsParked() {
        String prefix = "batch-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String tooLong = prefix + "x".repeat(250); // device.device_id is varchar(200)
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DeviceReport refused = seen(tooLong, at);
        List<DeviceReport> reports = List.of(seen(prefix + "p", at), refused, seen(prefix + "q", at));

        try (TestKafka.Tail dlq = TestKafka.tail(Topics.deadLetter(Topics.DEVICE_REPORTS))) {
            consumer.onReports(polled(reports));

            assertThat(lastSeen(prefix + "p")).isEqualTo(at);
            assertThat(lastSeen(prefix + "q")).isEqualTo(at);
            eventually().until(() -> dlq.values().contains(EventJson.write(refused)));
        }
    }

    /** One copy of the scenario: a rollout of its own over devices of its own model. */
    private final class Scenario {
        private final String model = Fleet.uniqueModel();
        private final String oldRelease = UUID.randomUUID().toString();
        private final String newRelease = UUID.randomUUID().toString();
        /** nanoseconds too, as Instant.now() gives them: the database keeps microseconds */
        private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);
        private final Map<String, Long> actionIds = new HashMap<>();
        private String rolloutId;

        String device(String name) {
            return model + "-" + name;
        }

        /**
         * Sets the scenario up — A..I (revision 1) and J, K (revision 2) on the old release; a rollout of the new one
         * with a retry budget of 1; D failed once (its second attempt is open), F seen at base + 100 s, J succeeded,
         * then cohort 2 rolled back (K's install canceled, J sent back) — and answers the mixed batch, in order.
         */
        List<DeviceReport> reports() {
            TestKafka.send(Fleet.release(oldRelease, "1.0.0", model));
            TestKafka.send(Fleet.release(newRelease, "2.0.0", model));
            Api.awaitRelease(oldRelease);
            Api.awaitRelease(newRelease);
            for (String name : List.of("A", "B", "C", "D", "E", "F", "I", "J", "K")) {
                String revision = name.compareTo("J") < 0 ? "1" : "2";
                apply(new DeviceReport.DeviceRegistered(EventMeta.newId(), base, UpdraftEvent.SCHEMA_VERSION,
                        device(name), "default", Map.of(DeviceReport.MODEL, model, DeviceReport.REVISION, revision)));
                apply(installed(device(name), oldRelease, "1.0.0", base));
            }
            rolloutId = Api.createRollout(Map.of("releaseId", newRelease, "target", Map.of("model", model),
                    "waves", List.of(100), "canaryPerCohort", 0, "retries", 1, "successThreshold", 0.5,
                    "soakTime", "PT1H")).then().statusCode(201).extract().path("id");
            eventually().until(() -> installActions().size() == 9);
            actionIds.putAll(installActions());

            apply(finished("D", action("D"), DeviceReport.Outcome.FAILURE, 1));
            eventually().until(() -> installActions().containsKey("D2"));
            actionIds.put("D2", installActions().get("D2"));
            apply(seen(device("F"), base.plusSeconds(100)));
            apply(finished("J", action("J"), DeviceReport.Outcome.SUCCESS, 2));
            Api.asOperator().body(Map.of("reason", "test"))
                    .post("/api/v1/rollouts/" + rolloutId + "/cohorts/" + model + ":2/rollback")
                    .then().statusCode(200);
            long jBack = rollbackAction("J");

            DeviceReport bSucceeded = finished("B", action("B"), DeviceReport.Outcome.SUCCESS, 13);
            DeviceReport iFirst = installed(device("I"), "x", "0.9.0", base.plusSeconds(17));
            return List.of(
                    progressed("A", action("A"), 11),
                    finished("A", action("A"), DeviceReport.Outcome.SUCCESS, 12), // progress + finished, one batch
                    bSucceeded,
                    finished("C", action("C"), DeviceReport.Outcome.FAILURE, 14), // within the retry budget
                    finished("D", action("D2"), DeviceReport.Outcome.FAILURE, 15), // its last attempt
                    new DeviceReport.ActionExpired(EventMeta.newId(), base.plusSeconds(16), UpdraftEvent.SCHEMA_VERSION,
                            device("E"), action("E"), rolloutId, model + ":1"),
                    seen(device("F"), base.plusSeconds(10)), // older than the stored sighting
                    iFirst,
                    installed(device("I"), "y", "0.9.1", base.plusSeconds(18)),
                    finished("K", action("K"), DeviceReport.Outcome.SUCCESS, 19), // installed after the cancel
                    new DeviceReport.ActionFinished(EventMeta.newId(), base.plusSeconds(20),
                            UpdraftEvent.SCHEMA_VERSION, device("J"), jBack, rolloutId, 1, model + ":2", oldRelease,
                            "1.0.0", true, DeviceReport.Outcome.SUCCESS, List.of()), // a rollback action's result
                    progressed("A", 9_000_000_000L + actionIds.get("A"), 5), // an unknown action
                    finished("E", action("A"), DeviceReport.Outcome.SUCCESS, 22), // another device's action
                    bSucceeded, // the same event twice
                    iFirst, // a redelivery after a later report
                    new DeviceReport.DeviceRegistered(EventMeta.newId(), base.plusSeconds(24),
                            UpdraftEvent.SCHEMA_VERSION, device("N"), "default", Map.of(DeviceReport.MODEL, model,
                                    DeviceReport.REVISION, "1", "region", "eu")),
                    new DeviceReport.DeviceAttributesUpdated(EventMeta.newId(), base.plusSeconds(25),
                            UpdraftEvent.SCHEMA_VERSION, device("N"), "replace", Map.of(DeviceReport.MODEL, model,
                                    DeviceReport.REVISION, "1", "region", "us")));
        }

        long action(String name) {
            return actionIds.get(name);
        }

        private void apply(DeviceReport report) {
            applyOneAlone(report);
        }

        private DeviceReport.ActionProgressed progressed(String name, long actionId, int second) {
            return new DeviceReport.ActionProgressed(EventMeta.newId(), base.plusSeconds(second),
                    UpdraftEvent.SCHEMA_VERSION, device(name), actionId, rolloutId, model + ":1", "proceeding",
                    List.of());
        }

        private DeviceReport.ActionFinished finished(String name, long actionId, DeviceReport.Outcome outcome,
                int second) {
            String revision = name.compareTo("J") < 0 ? "1" : "2";
            return new DeviceReport.ActionFinished(EventMeta.newId(), base.plusSeconds(second),
                    UpdraftEvent.SCHEMA_VERSION, device(name), actionId, rolloutId, 1, model + ":" + revision,
                    newRelease, "2.0.0", false, outcome, List.of());
        }

        /** Install actions by device name, a second attempt as e.g. "D2". */
        private Map<String, Long> installActions() {
            Map<String, Long> found = new HashMap<>();
            for (Object[] row : this.<Object[]>rows("select device_id, action_id, attempt from device_action"
                    + " where rollout_id = ?1 and not rollback order by action_id")) {
                int attempt = ((Number) row[2]).intValue();
                found.put(name(row[0]) + (attempt == 1 ? "" : Integer.toString(attempt)),
                        ((Number) row[1]).longValue());
            }
            return found;
        }

        private long rollbackAction(String name) {
            return ((Number) rows("select action_id from device_action where rollout_id = ?1 and rollback"
                    + " and device_id = '" + device(name) + "'").get(0)).longValue();
        }

        Map<String, List<String>> actions() {
            Map<String, List<String>> byDevice = new TreeMap<>();
            for (Object[] row : this.<Object[]>rows("select device_id, rollback, state from device_action"
                    + " where rollout_id = ?1 order by device_id, action_id")) {
                byDevice.computeIfAbsent(name(row[0]), d -> new ArrayList<>())
                        .add((Boolean) row[1] ? "rollback " + row[2] : (String) row[2]);
            }
            return byDevice;
        }

        Map<String, List<Integer>> counters() {
            Map<String, List<Integer>> byRevision = new TreeMap<>();
            for (Object[] row : this.<Object[]>rows("select cohort, devices, succeeded, failed, canceled, expired"
                    + " from wave_cohort where rollout_id = ?1 and wave = 1")) {
                List<Integer> counts = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    counts.add(((Number) row[i]).intValue());
                }
                byRevision.put(((String) row[0]).substring(model.length() + 1), counts);
            }
            return byRevision;
        }

        String waveState() {
            return this.<String>rows("select state from rollout_wave where rollout_id = ?1 and wave = 1").get(0);
        }

        Map<String, List<String>> devices() {
            Map<String, List<String>> byDevice = new TreeMap<>();
            List<Object[]> found = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                    "select device_id, installed_release_id, installed_version, last_seen, attributes ->> 'region'"
                            + " from device"
                            + " where device_id like ?1").setParameter(1, model + "-%").getResultList());
            for (Object[] row : found) {
                Instant lastSeen = instant(row[3]);
                byDevice.put(name(row[0]), List.of(String.valueOf(release((String) row[1])), String.valueOf(row[2]),
                        Long.toString(Math.round(Duration.between(base, lastSeen).toMillis() / 1000.0)),
                        String.valueOf(row[4])));
            }
            return byDevice;
        }

        List<String> commands() {
            return commands.events(DeviceCommand.class, DeviceCommand.class, c -> rolloutId.equals(rolloutOf(c)))
                    .stream().map(c -> c instanceof DeviceCommand.InstallRequested install
                            ? "InstallRequested " + name(install.deviceId()) + " " + release(install.releaseId())
                                    + (install.rollback() ? " rollback" : "")
                            : c.getClass().getSimpleName() + " " + name(c.deviceId()))
                    .sorted().toList();
        }

        List<String> retries() {
            return rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutActionRetried.class,
                    e -> e.rolloutId().equals(rolloutId)).stream()
                    .map(e -> "RolloutActionRetried " + name(e.deviceId()) + " attempt " + e.attempt()).sorted()
                    .toList();
        }

        private String release(String releaseId) {
            return oldRelease.equals(releaseId) ? "old" : newRelease.equals(releaseId) ? "new" : releaseId;
        }

        private String name(Object deviceId) {
            return ((String) deviceId).substring(model.length() + 1);
        }

        @SuppressWarnings("unchecked")
        private <T> List<T> rows(String sql) {
            return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(sql)
                    .setParameter(1, rolloutId).getResultList());
        }
    }

    private static String rolloutOf(DeviceCommand command) {
        return command instanceof DeviceCommand.InstallRequested install ? install.rolloutId()
                : ((DeviceCommand.CancelRequested) command).rolloutId();
    }

    private static DeviceReport.DeviceSeen seen(String deviceId, Instant at) {
        return new DeviceReport.DeviceSeen(EventMeta.newId(), at, UpdraftEvent.SCHEMA_VERSION, deviceId);
    }

    private static DeviceReport.InstalledVersionReported installed(String deviceId, String releaseId, String version,
            Instant at) {
        return new DeviceReport.InstalledVersionReported(EventMeta.newId(), at, UpdraftEvent.SCHEMA_VERSION, deviceId,
                releaseId, version);
    }

    /** The per-report path, in a transaction of its own, as a DEFAULT record. */
    private void applyOneAlone(DeviceReport report) {
        QuarkusTransaction.requiringNew().run(() -> consumer.applyOne(
                new DeviceReportConsumer.TenantReport(TenantIds.DEFAULT, report)));
    }

    /** The set-based path alone, in one transaction, as a polled batch's readable records take it. */
    private void applySetBased(List<DeviceReport> reports) {
        QuarkusTransaction.requiringNew().run(() -> consumer.applyAll(reports.stream()
                .map(report -> new DeviceReportConsumer.TenantReport(TenantIds.DEFAULT, report)).toList()));
    }

    /** As the broker hands a poll over: each device's records on one of six partitions, in offset order. */
    private static ConsumerRecords<String, String> polled(List<DeviceReport> reports) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new LinkedHashMap<>();
        long offset = 0;
        for (DeviceReport report : reports) {
            TopicPartition partition = new TopicPartition(Topics.DEVICE_REPORTS,
                    Math.floorMod(report.deviceId().hashCode(), 6));
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(new ConsumerRecord<>(
                    partition.topic(), partition.partition(), offset++, report.deviceId(), EventJson.write(report)));
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private Instant lastSeen(String deviceId) {
        List<?> found = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select last_seen from device where device_id = ?1").setParameter(1, deviceId).getResultList());
        return found.isEmpty() ? null : instant(found.get(0));
    }

    private long outboxSequence() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select last_value from outbox_id_seq").getSingleResult()).longValue());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100));
    }
}
