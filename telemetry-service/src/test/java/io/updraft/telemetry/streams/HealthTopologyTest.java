package io.updraft.telemetry.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every policy rule of the health topology, driven record by record without a broker. */
class HealthTopologyTest {
    private static final String ROLLOUT = "rollout-1";
    private static final String COHORT = "gw-200:1.0";
    private static final Duration GRACE = Duration.ofMinutes(2);
    /** Defaults: failure rate 0.5 over 3 installs; crashes 2x a baseline of at least 0.1 over 5 reports each;
     *  missed heartbeats 0.3 over 3 devices; the first failed measurement fails a rule. */
    static final CohortPolicy DEFAULTS = new CohortPolicy(0.5, 3, Duration.ZERO, 2.0, 0.1, 5, Duration.ofMinutes(5),
            0.3, 3, Duration.ZERO, 0, 0);

    private final AtomicLong actionIds = new AtomicLong(1000);
    private Instant clock = Instant.parse("2026-01-01T10:00:00Z");
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> reports;
    private TestInputTopic<String, String> telemetry;
    private TestInputTopic<String, String> rollouts;
    private TestOutputTopic<String, String> rollbacks;
    private TopologySettings settings;
    @TempDir
    Path stateDirs;

    @BeforeEach
    void start() throws Exception {
        start(DEFAULTS);
    }

    private void start(CohortPolicy defaults) throws Exception {
        if (driver != null) {
            driver.close();
        }
        Path stateDir = Files.createTempDirectory(stateDirs, "state");
        settings = new TopologySettings(Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY,
                Topics.ROLLOUT_EVENTS, Topics.ROLLBACKS, defaults, Duration.ofSeconds(10), GRACE, Duration.ofDays(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(HealthTopology.build(settings,
                created -> defaults.withFailureRate(created.policy().failureRateThreshold(),
                        created.policy().minSampleSize())), props, clock);
        reports = driver.createInputTopic(Topics.DEVICE_REPORTS, new StringSerializer(), new StringSerializer());
        telemetry = driver.createInputTopic(Topics.DEVICE_TELEMETRY, new StringSerializer(), new StringSerializer());
        rollouts = driver.createInputTopic(Topics.ROLLOUT_EVENTS, new StringSerializer(), new StringSerializer());
        rollbacks = driver.createOutputTopic(Topics.ROLLBACKS, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // --- failure rate ---------------------------------------------------------------------------------------------

    @Test
    void given_fewer_installs_than_the_min_sample_when_all_failed_then_no_rollback() {
        install("d1", Outcome.FAILURE);
        install("d2", Outcome.FAILURE);

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    @Test
    void given_the_min_sample_when_the_failure_rate_reaches_the_threshold_then_exactly_one_rollback_with_figures() {
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.FAILURE);
        assertThat(rollbacks.isEmpty()).isTrue(); // 0.5 but only 2 installs
        install("d3", Outcome.FAILURE);            // 0.67 over 3
        install("d4", Outcome.FAILURE);            // still failing: no second trigger

        List<RollbackTriggered> triggered = triggered();
        assertThat(triggered).singleElement().satisfies(t -> {
            assertThat(t.rolloutId()).isEqualTo(ROLLOUT);
            assertThat(t.cohort()).isEqualTo(COHORT);
            assertThat(t.reason()).isEqualTo("failure rate 0.67 >= 0.50 over 3 installs");
            assertThat(t.evidence().succeeded()).isEqualTo(1);
            assertThat(t.evidence().failed()).isEqualTo(2);
            assertThat(t.evidence().threshold()).isEqualTo(0.5);
            assertThat(t.evidence().minSampleSize()).isEqualTo(3);
            assertThat(t.evidence().windowStart()).isBeforeOrEqualTo(t.evidence().windowEnd());
            assertThat(t.eventId()).isEqualTo(CohortReferee.decisionId(ROLLOUT, COHORT));
        });
    }

    @Test
    void given_a_healthy_cohort_when_just_below_the_threshold_then_no_rollback() {
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.SUCCESS);
        install("d3", Outcome.FAILURE); // 0.33

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    @Test
    void given_one_result_republished_and_rollback_installs_when_counted_then_each_counts_at_most_once() {
        ActionFinished first = finished("d1", actionIds.incrementAndGet(), COHORT, Outcome.FAILURE, false);
        send(first);
        send(finished("d1", first.actionId(), COHORT, Outcome.FAILURE, false)); // republished under a new id
        send(first);                                                            // redelivered
        send(finished("d2", actionIds.incrementAndGet(), COHORT, Outcome.FAILURE, true)); // rollback install
        send(finished("d3", actionIds.incrementAndGet(), COHORT, Outcome.FAILURE, true));

        assertThat(rollbacks.isEmpty()).isTrue(); // one counted failure, below the sample of 3
    }

    @Test
    void given_reports_judged_by_the_defaults_when_the_rollout_policy_arrives_then_the_cohort_is_judged_again() {
        install("d1", Outcome.FAILURE);
        for (int i = 2; i <= 4; i++) {
            install("d" + i, Outcome.SUCCESS);
        }
        assertThat(rollbacks.isEmpty()).isTrue(); // 0.25 < 0.5

        send(new RolloutCreated(id(), clock, UpdraftEvent.SCHEMA_VERSION, ROLLOUT, "r", "rel", "1.2.0", 2, 10,
                List.of(COHORT, "other:1"), new RollbackPolicy(0.25, 4)));

        assertThat(triggered()).singleElement()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("failure rate 0.25 >= 0.25 over 4 installs"));
    }

    @Test
    void given_two_cohorts_when_one_fails_then_only_that_one_is_rolled_back() {
        for (int i = 0; i < 4; i++) {
            install("a" + i, "gw-100:1.0", Outcome.SUCCESS);
            install("b" + i, COHORT, Outcome.FAILURE);
        }

        assertThat(triggered()).extracting(RollbackTriggered::cohort).containsExactly(COHORT);
    }

    // --- Argo-style analysis: failure limit and consecutive failures ------------------------------------------------

    @Test
    void given_a_failure_limit_of_two_when_the_third_measurement_fails_then_rollback() throws Exception {
        start(DEFAULTS.withFailureRate(0.5, 2).withAnalysis(2, 0));
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.FAILURE); // 0.50 failed #1
        install("d3", Outcome.SUCCESS); // 0.33 ok
        install("d4", Outcome.FAILURE); // 0.50 failed #2
        install("d5", Outcome.SUCCESS); // 0.40 ok
        assertThat(rollbacks.isEmpty()).isTrue();

        install("d6", Outcome.FAILURE); // 0.50 failed #3 > limit 2

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason())
                .isEqualTo("failure rate 0.50 >= 0.50 over 6 installs (3 failed measurements, 1 in a row)"));
    }

    @Test
    void given_two_consecutive_failures_required_when_failures_alternate_with_successes_then_only_a_run_triggers()
            throws Exception {
        start(DEFAULTS.withFailureRate(0.5, 2).withAnalysis(100, 2));
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.FAILURE); // failed, 1 in a row
        install("d3", Outcome.SUCCESS); // ok: the row breaks
        install("d4", Outcome.FAILURE); // failed, 1 in a row
        install("d5", Outcome.SUCCESS); // ok
        install("d6", Outcome.FAILURE); // failed, 1 in a row
        assertThat(rollbacks.isEmpty()).isTrue();

        install("d7", Outcome.FAILURE); // 4/7 failed, 2 in a row

        assertThat(triggered()).singleElement()
                .satisfies(t -> assertThat(t.reason()).endsWith("(4 failed measurements, 2 in a row)"));
    }

    // --- crash-rate regression against the cohort's baseline on the previous release -------------------------------

    @Test
    void given_a_cohort_that_crashed_rarely_on_its_previous_release_when_the_new_one_crashes_often_then_rollback() {
        for (int i = 0; i < 5; i++) {
            health("d" + i, true, 0); // on the previous release: no crash in 5 reports (baseline counts as 0.1)
        }
        for (int i = 0; i < 5; i++) {
            install("d" + i, Outcome.SUCCESS);
        }
        for (int i = 0; i < 4; i++) {
            health("d" + i, true, 1);
        }
        assertThat(rollbacks.isEmpty()).isTrue(); // 4 reports on the new release: below the sample of 5

        health("d4", true, 1); // 1.00 crashes per report >= 2 x 0.10

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason()).isEqualTo(
                "crash rate 1.00 per report >= 0.20 (2.0 x baseline 0.00 on the previous release) over 5 reports"));
    }

    @Test
    void given_reports_between_two_health_flushes_when_flushed_then_the_cohort_is_measured_once_over_all_of_them()
            throws Exception {
        start(DEFAULTS.withAnalysis(100, 2)); // two failed measurements in a row fail a rule
        for (int i = 0; i < 5; i++) {
            health("d" + i, true, 0);
            install("d" + i, Outcome.SUCCESS);
        }
        for (int i = 0; i < 5; i++) {
            healthUnflushed("d" + i, true, 2); // pending in the tracker: nothing measured yet
        }
        assertThat(rollbacks.isEmpty()).isTrue();

        flushHealth(); // one signal, one failed measurement over the 5 reports
        assertThat(rollbacks.isEmpty()).isTrue();
        healthUnflushed("d0", true, 2);
        healthUnflushed("d1", true, 2);
        flushHealth(); // the second in a row

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason()).isEqualTo(
                "crash rate 2.00 per report >= 0.20 (2.0 x baseline 0.00 on the previous release) over 7 reports"
                        + " (2 failed measurements, 2 in a row)"));
    }

    @Test
    void given_a_cohort_that_crashed_as_often_on_its_previous_release_when_the_new_one_does_too_then_no_rollback() {
        for (int i = 0; i < 5; i++) {
            health("d" + i, true, 1); // baseline: 1 crash per report already
            install("d" + i, Outcome.SUCCESS);
        }
        for (int i = 0; i < 5; i++) {
            health("d" + i, true, 1); // the same rate: no regression
            health("d" + i, true, 1);
        }

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    @Test
    void given_too_small_a_baseline_when_the_new_release_crashes_then_the_rule_is_inconclusive() {
        health("d0", true, 0); // one baseline report: below the sample of 5
        for (int i = 0; i < 5; i++) {
            install("d" + i, Outcome.SUCCESS);
            health("d" + i, true, 3);
        }

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    // --- missed heartbeats after install ----------------------------------------------------------------------------

    @Test
    void given_installed_devices_when_too_many_never_come_back_within_the_grace_then_rollback() {
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.SUCCESS);
        install("d3", Outcome.SUCCESS);
        send(new DeviceSeen(id(), clock, UpdraftEvent.SCHEMA_VERSION, "d1")); // d1 is back
        driver.advanceWallClockTime(GRACE.minusSeconds(10));
        assertThat(rollbacks.isEmpty()).isTrue(); // still within the grace

        driver.advanceWallClockTime(Duration.ofSeconds(20));

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason())
                .isEqualTo("missed heartbeat ratio 0.67 >= 0.30 over 3 installed devices"));
    }

    @Test
    void given_installed_devices_when_they_all_come_back_then_no_rollback() {
        for (int i = 0; i < 4; i++) {
            install("d" + i, Outcome.SUCCESS);
            health("d" + i, true, 0);
        }
        driver.advanceWallClockTime(GRACE.plusMinutes(1));

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    @Test
    void given_fewer_judged_devices_than_the_min_sample_when_they_are_missing_then_no_rollback() {
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.SUCCESS);
        driver.advanceWallClockTime(GRACE.plusMinutes(1));

        assertThat(rollbacks.isEmpty()).isTrue(); // 2 of 2 missing, but a sample of 3 is needed
    }

    // --- windowed aggregates ----------------------------------------------------------------------------------------

    @Test
    void given_reports_of_two_waves_when_aggregated_then_windows_hold_them_per_rollout_wave_cohort_and_release() {
        send(finished("d1", actionIds.incrementAndGet(), COHORT, Outcome.SUCCESS, false, 1));
        send(finished("d2", actionIds.incrementAndGet(), COHORT, Outcome.SUCCESS, false, 2));
        health("d2", false, 2);

        WindowStore<String, Figures> windows = driver.getWindowStore(HealthTopology.WINDOW_STORE);
        List<KeyValue<Windowed<String>, Figures>> all = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Figures> it = windows.all()) {
            it.forEachRemaining(all::add);
        }
        assertThat(all).extracting(kv -> kv.key.key())
                .containsExactlyInAnyOrder(ROLLOUT + "|" + COHORT + "|1|1.2.0", ROLLOUT + "|" + COHORT + "|2|1.2.0");
        Figures wave2 = all.stream().filter(kv -> kv.key.key().endsWith("|2|1.2.0")).findFirst().orElseThrow().value;
        assertThat(wave2.succeeded()).isEqualTo(1);
        assertThat(wave2.healthReports()).isEqualTo(1);
        assertThat(wave2.bootFailures()).isEqualTo(1);
        assertThat(wave2.crashes()).isEqualTo(2);
        assertThat(wave2.metricCounts()).containsEntry("cpu", 1L);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void install(String device, Outcome outcome) {
        install(device, COHORT, outcome);
    }

    private void install(String device, String cohort, Outcome outcome) {
        send(finished(device, actionIds.incrementAndGet(), cohort, outcome, false));
    }

    /** One report, sent on by the tracker's next health flush. */
    private void health(String device, boolean bootOk, int crashes) {
        healthUnflushed(device, bootOk, crashes);
        flushHealth();
    }

    private void healthUnflushed(String device, boolean bootOk, int crashes) {
        send(new HealthReported(id(), clock, UpdraftEvent.SCHEMA_VERSION, device, bootOk, crashes, true,
                Map.of("cpu", 0.4)));
    }

    private void flushHealth() {
        driver.advanceWallClockTime(settings.healthFlushInterval());
    }

    private ActionFinished finished(String device, long actionId, String cohort, Outcome outcome, boolean rollback) {
        return finished(device, actionId, cohort, outcome, rollback, 1);
    }

    private ActionFinished finished(String device, long actionId, String cohort, Outcome outcome, boolean rollback,
            int wave) {
        return new ActionFinished(id(), clock, UpdraftEvent.SCHEMA_VERSION, device, actionId, ROLLOUT, wave, cohort,
                "release-2", "1.2.0", rollback, outcome, List.of());
    }

    private void send(UpdraftEvent event) {
        clock = clock.plusMillis(100);
        TestInputTopic<String, String> topic = switch (event.topic()) {
            case Topics.DEVICE_REPORTS -> reports;
            case Topics.DEVICE_TELEMETRY -> telemetry;
            default -> rollouts;
        };
        topic.pipeInput(event.key(), EventJson.write(event), clock);
    }

    private List<RollbackTriggered> triggered() {
        return rollbacks.readValuesToList().stream()
                .map(json -> (RollbackTriggered) EventJson.read(json, RollbackEvent.class))
                .toList();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
