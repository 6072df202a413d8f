package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.kafka.EventRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants in the health topology (ADR 0021 decisions 3 and 4): ACME, GLOBEX and DEFAULT with the same device ids, the
 * same rollout id and the same hardware cohort are three devices' worth of state each, three cohorts, three decisions;
 * DEFAULT's keys, bytes and decision ids are those of the topology before tenants.
 */
class TenantTopologyTest {
    private static final String ACME = "ACME";
    private static final String GLOBEX = "GLOBEX";
    private static final String ROLLOUT = "rollout-1";
    private static final String COHORT = "gw-200:1.0";

    private final AtomicLong actionIds = new AtomicLong(1000);
    private Instant clock = Instant.parse("2026-01-01T10:00:00Z");
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> reports;
    private TestInputTopic<String, String> telemetry;
    private TestInputTopic<String, String> rollouts;
    private TestOutputTopic<String, String> rollbacks;
    private TopologySettings settings;
    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        settings = new TopologySettings(Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY, Topics.ROLLOUT_EVENTS,
                Topics.ROLLBACKS, HealthTopologyTest.DEFAULTS, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofDays(1));
        java.util.Properties props = new java.util.Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tenant-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(HealthTopology.build(settings,
                created -> HealthTopologyTest.DEFAULTS.over(created.policy())), props, clock);
        reports = driver.createInputTopic(Topics.DEVICE_REPORTS, new StringSerializer(), new StringSerializer());
        telemetry = driver.createInputTopic(Topics.DEVICE_TELEMETRY, new StringSerializer(), new StringSerializer());
        rollouts = driver.createInputTopic(Topics.ROLLOUT_EVENTS, new StringSerializer(), new StringSerializer());
        rollbacks = driver.createOutputTopic(Topics.ROLLBACKS, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void given_two_tenants_with_the_same_devices_and_cohort_when_acmes_fails_then_only_acmes_rollout_rolls_back() {
        // GLOBEX's lenient policy and healthy installs: were the cohorts one, they would hold ACME's failures back
        send(GLOBEX, created(new RollbackPolicy(0.9, 10)));
        send(ACME, created(new RollbackPolicy(0.5, 3)));
        for (String device : List.of("d1", "d2", "d3", "d4")) {
            send(GLOBEX, installed(device, Outcome.SUCCESS));
        }
        send(ACME, installed("d1", Outcome.FAILURE));
        send(ACME, installed("d2", Outcome.FAILURE));
        assertThat(rollbacks.isEmpty()).isTrue(); // ACME: 2 of a min sample of 3
        send(ACME, installed("d3", Outcome.FAILURE));

        List<TestRecord<String, String>> out = rollbacks.readRecordsToList();
        assertThat(out).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("ACME/" + ROLLOUT);
            assertThat(header(record, "ce_tenant")).isEqualTo(ACME);
            assertThat(header(record, "ce_subject")).isEqualTo(ROLLOUT);
            assertThat(EventJson.tenantOf(record.value())).isEqualTo(ACME);
            RollbackTriggered trigger = (RollbackTriggered) EventJson.read(record.value(), RollbackEvent.class);
            assertThat(trigger.rolloutId()).isEqualTo(ROLLOUT);
            assertThat(trigger.cohort()).isEqualTo(COHORT);
            assertThat(trigger.evidence().failed()).isEqualTo(3);
            assertThat(trigger.evidence().succeeded()).isZero();
            // not DEFAULT's decision id for the same rollout and cohort: an inbox never mistakes one for the other
            assertThat(trigger.eventId()).isEqualTo(CohortReferee.decisionId("ACME/" + ROLLOUT, COHORT))
                    .isNotEqualTo(CohortReferee.decisionId(ROLLOUT, COHORT));
        });

        Map<String, CohortState> cohorts = all(driver.getKeyValueStore(HealthTopology.COHORT_STORE));
        assertThat(cohorts).containsOnlyKeys("ACME/" + ROLLOUT + "|" + COHORT, "GLOBEX/" + ROLLOUT + "|" + COHORT);
        assertThat(cohorts.get("GLOBEX/" + ROLLOUT + "|" + COHORT).totals().succeeded()).isEqualTo(4);
        assertThat(cohorts.get("GLOBEX/" + ROLLOUT + "|" + COHORT).totals().failed()).isZero();
        assertThat(cohorts.get("GLOBEX/" + ROLLOUT + "|" + COHORT).decided()).isFalse();
        assertThat(all(driver.getKeyValueStore(HealthTopology.DEVICE_STORE)).keySet())
                .containsExactlyInAnyOrder("ACME/d1", "ACME/d2", "ACME/d3", "GLOBEX/d1", "GLOBEX/d2", "GLOBEX/d3",
                        "GLOBEX/d4");
    }

    @Test
    void given_the_same_device_in_two_tenants_when_each_reports_health_then_each_counts_in_its_own_cohort() {
        send(ACME, installed("d1", Outcome.SUCCESS));
        send(GLOBEX, installed("d1", Outcome.SUCCESS));
        for (int i = 0; i < 3; i++) {
            send(ACME, new HealthReported(id(), clock, UpdraftEvent.SCHEMA_VERSION, "d1", true, 2, true, Map.of()));
        }
        send(GLOBEX, new HealthReported(id(), clock, UpdraftEvent.SCHEMA_VERSION, "d1", true, 0, true, Map.of()));
        driver.advanceWallClockTime(settings.healthFlushInterval());

        Map<String, CohortState> cohorts = all(driver.getKeyValueStore(HealthTopology.COHORT_STORE));
        assertThat(cohorts.get("ACME/" + ROLLOUT + "|" + COHORT).totals().healthReports()).isEqualTo(3);
        assertThat(cohorts.get("ACME/" + ROLLOUT + "|" + COHORT).totals().crashes()).isPositive();
        assertThat(cohorts.get("GLOBEX/" + ROLLOUT + "|" + COHORT).totals().healthReports()).isEqualTo(1);
        assertThat(cohorts.get("GLOBEX/" + ROLLOUT + "|" + COHORT).totals().crashes()).isZero();
    }

    @Test
    void given_a_single_tenant_installation_when_a_cohort_fails_then_keys_bytes_and_ids_are_those_before_tenants() {
        send(TenantIds.DEFAULT, created(new RollbackPolicy(0.5, 3)));
        for (String device : List.of("d1", "d2", "d3")) {
            send(TenantIds.DEFAULT, installed(device, Outcome.FAILURE));
        }

        TestRecord<String, String> record = rollbacks.readRecord();
        assertThat(record.key()).isEqualTo(ROLLOUT);
        assertThat(record.value()).doesNotContain("\"tenant\"");
        assertThat(header(record, "ce_tenant")).isEqualTo(TenantIds.DEFAULT);
        RollbackTriggered trigger = (RollbackTriggered) EventJson.read(record.value(), RollbackEvent.class);
        // the id a decision had before tenants: a DEFAULT decision taken again after the upgrade is the same one
        assertThat(trigger.eventId()).isEqualTo(UUID.nameUUIDFromBytes(("rollback|" + ROLLOUT + "|" + COHORT)
                .getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(record.value()).isEqualTo(EventJson.write(trigger));
        assertThat(all(driver.getKeyValueStore(HealthTopology.COHORT_STORE))).containsOnlyKeys(ROLLOUT + "|" + COHORT);
        assertThat(all(driver.getKeyValueStore(HealthTopology.DEVICE_STORE))).containsOnlyKeys("d1", "d2", "d3");
    }

    @Test
    void given_records_naming_no_valid_tenant_when_processed_then_they_count_for_nobody() {
        for (String hostile : List.of("a/b", "x".repeat(41), "ac me", "acme\\u0000", "-acme", "")) {
            String json = "{\"tenant\":\"" + hostile + "\"," + EventJson.write(installed("d1", Outcome.FAILURE))
                    .substring(1);
            reports.pipeInput("d1", json, clock = clock.plusMillis(100));
        }
        String numeric = "{\"tenant\":7," + EventJson.write(installed("d2", Outcome.FAILURE)).substring(1);
        reports.pipeInput("d2", numeric, clock = clock.plusMillis(100));

        assertThat(all(driver.getKeyValueStore(HealthTopology.DEVICE_STORE))).isEmpty();
        assertThat(all(driver.getKeyValueStore(HealthTopology.COHORT_STORE))).isEmpty();
    }

    @Test
    void given_a_tenant_in_any_case_or_not_first_when_read_then_it_is_the_canonical_tenant() {
        assertThat(DeviceEvents.tenant("{\"tenant\":\"acme\",\"type\":\"X\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ACME);
        assertThat(DeviceEvents.tenant("{\"type\":\"X\",\"tenant\":\"Globex\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(GLOBEX);
        assertThat(DeviceEvents.tenant("{\"type\":\"X\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(TenantIds.DEFAULT);
        assertThat(DeviceEvents.tenant("{\"type\":\"X\",\"nested\":{\"tenant\":\"B\"}}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(TenantIds.DEFAULT);
        assertThat(DeviceEvents.tenant(null)).isEqualTo(TenantIds.DEFAULT);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private RolloutCreated created(RollbackPolicy policy) {
        return new RolloutCreated(id(), clock, UpdraftEvent.SCHEMA_VERSION, ROLLOUT, "r", "rel", "1.2.0", 1, 10,
                List.of(COHORT), policy);
    }

    private ActionFinished installed(String device, Outcome outcome) {
        return new ActionFinished(id(), clock, UpdraftEvent.SCHEMA_VERSION, device, actionIds.incrementAndGet(),
                ROLLOUT, 1, COHORT, "release-2", "1.2.0", false, outcome, List.of());
    }

    /** As a service's outbox or producer sends it in {@code tenant}: field, ce_tenant, TENANT/key. */
    private void send(String tenant, UpdraftEvent event) {
        clock = clock.plusMillis(100);
        TestInputTopic<String, String> topic = switch (event.topic()) {
            case Topics.DEVICE_REPORTS -> reports;
            case Topics.DEVICE_TELEMETRY -> telemetry;
            default -> rollouts;
        };
        ProducerRecord<String, String> record = EventRecords.toRecord(tenant, "test", event,
                EventJson.write(tenant, event));
        topic.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), clock));
    }

    private static String header(TestRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <V> Map<String, V> all(KeyValueStore<String, V> store) {
        Map<String, V> all = new HashMap<>();
        List<KeyValue<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        entries.stream().filter(kv -> !kv.key.startsWith("\u0000")).forEach(kv -> all.put(kv.key, kv.value));
        return all;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
