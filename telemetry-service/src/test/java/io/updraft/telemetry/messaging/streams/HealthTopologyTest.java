package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.DeviceSeen;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
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
    private static final Duration STEP = Duration.ofSeconds(30);
    /**
     * Defaults: failed installs 0.5 over 3; boot failures 0.2 over 3; unhealthy or crash-looping (3 crashes within
     * 10 minutes) devices 0.3 over 3; silent (2 minutes after install) devices 0.3 over 3; crashes 2x a baseline of at
     * least 0.1 over 5 reports each; the first failed measurement fails a rule.
     */
    static final CohortPolicy DEFAULTS = new CohortPolicy(limits(0.5, 3), limits(0.2, 3), limits(0.3, 3), 3,
            Duration.ofMinutes(10), limits(0.3, 3), GRACE, new CohortPolicy.Regression(2.0, 0.1, 5,
                    Duration.ofMinutes(5)), 0, 0, 0);

    static CohortPolicy.Limits limits(double rate, int minSample) {
        return new CohortPolicy.Limits(rate, null, minSample, Duration.ZERO);
    }

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
                Topics.ROLLOUT_EVENTS, Topics.ROLLBACKS, defaults, Duration.ofSeconds(10), STEP, Duration.ofHours(1),
                Duration.ofDays(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(HealthTopology.build(settings, created -> defaults.over(created.policy())),
                props, clock);
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
            assertThat(t.reason()).isEqualTo("failedInstalls: 2 of 3 installs failed (0.67 >= 0.50, sample 3)");
            assertThat(t.evidence().succeeded()).isEqualTo(1);
            assertThat(t.evidence().failed()).isEqualTo(2);
            assertThat(t.evidence().threshold()).isEqualTo(0.5);
            assertThat(t.evidence().minSampleSize()).isEqualTo(3);
            assertThat(t.evidence().windowStart()).isBeforeOrEqualTo(t.evidence().windowEnd());
            assertThat(t.eventId()).isEqualTo(CohortReferee.decisionId(ROLLOUT, COHORT));
        });
    }

    @Test
    void given_results_arriving_out_of_timestamp_order_when_judged_then_the_window_starts_at_the_earliest() {
        Instant late = clock.plusSeconds(30);
        // device-reports is partitioned by device: a later result can be processed before an earlier one
        ActionFinished first = finished("d1", actionIds.incrementAndGet(), COHORT, Outcome.FAILURE, false);
        reports.pipeInput(first.key(), EventJson.write(first), late);
        install("d2", Outcome.FAILURE);
        install("d3", Outcome.FAILURE);

        assertThat(triggered()).singleElement().satisfies(t -> {
            assertThat(t.evidence().windowStart()).isBeforeOrEqualTo(t.evidence().windowEnd());
            assertThat(t.evidence().windowStart()).isBefore(late);
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
                .satisfies(t -> assertThat(t.reason()).isEqualTo("failedInstalls: 1 of 4 installs failed (0.25 >= 0.25, sample 4)"));
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
        start(DEFAULTS.withFailedInstalls(limits(0.5, 2)).withAnalysis(2, 0));
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.FAILURE); // 0.50 failed #1
        install("d3", Outcome.SUCCESS); // 0.33 ok
        install("d4", Outcome.FAILURE); // 0.50 failed #2
        install("d5", Outcome.SUCCESS); // 0.40 ok
        assertThat(rollbacks.isEmpty()).isTrue();

        install("d6", Outcome.FAILURE); // 0.50 failed #3 > limit 2

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason())
                .isEqualTo("failedInstalls: 3 of 6 installs failed (0.50 >= 0.50, sample 2) (3 failed measurements, 1 in a row)"));
    }

    @Test
    void given_two_consecutive_failures_required_when_failures_alternate_with_successes_then_only_a_run_triggers()
            throws Exception {
        start(DEFAULTS.withFailedInstalls(limits(0.5, 2)).withAnalysis(100, 2));
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
                "crashRegression: crash rate 1.00 per report >= 0.20 (2.0 x baseline 0.00 on the previous release) over 5 reports"));
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
                "crashRegression: crash rate 2.00 per report >= 0.20 (2.0 x baseline 0.00 on the previous release) over 7 reports"
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
            health("d" + i, true, 2); // crashes, but no device crash-loops (3 within 10 minutes)
        }

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    // --- rules that need no baseline ---------------------------------------------------------------------------------

    @Test
    void given_devices_that_sent_no_health_before_the_install_when_they_crash_loop_after_it_then_rollback() {
        for (int i = 0; i < 5; i++) {
            install("d" + i, Outcome.SUCCESS); // no report ever on the previous release: no baseline
        }
        health("d0", true, 2);
        health("d0", true, 1); // d0: 3 crashes within 10 minutes, 1 of 5 devices
        health("d1", true, 1);
        health("d1", true, 1); // d1: 2 crashes, not yet a loop
        assertThat(rollbacks.isEmpty()).isTrue();

        health("d1", true, 1); // d1 loops too: 2 of 5 = 0.40 >= 0.30

        assertThat(triggered()).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("unhealthyDevices: 2 of 5 devices on the release reported unhealthy or"
                    + " crash-looped (3 crashes within PT10M) (0.40 >= 0.30, sample 3)");
            assertThat(t.evidence().rule()).isEqualTo("unhealthyDevices");
            assertThat(t.evidence().devicesCounted()).isEqualTo(2);
            assertThat(t.evidence().devicesJudged()).isEqualTo(5);
            assertThat(t.evidence().observed()).isEqualTo(0.4);
            assertThat(t.evidence().limit()).isEqualTo(0.3);
        });
    }

    @Test
    void given_crashes_spread_wider_than_the_crash_loop_window_when_judged_then_no_device_loops() {
        for (int i = 0; i < 3; i++) {
            install("d" + i, Outcome.SUCCESS);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                health("d" + i, true, 1);
            }
            clock = clock.plus(Duration.ofMinutes(6)); // 3 crashes per device, but never 3 within 10 minutes
        }

        assertThat(rollbacks.isEmpty()).isTrue();
    }

    @Test
    void given_a_device_reporting_unhealthy_again_and_again_when_counted_then_it_counts_once() {
        for (int i = 0; i < 10; i++) {
            install("d" + i, Outcome.SUCCESS);
        }
        for (int report = 0; report < 5; report++) {
            healthApp("d0", false, 4); // unhealthy and crash-looping, every time
            healthApp("d1", false, 0);
        }

        assertThat(rollbacks.isEmpty()).isTrue(); // 2 of 10 devices = 0.20 < 0.30
        healthApp("d2", false, 0);
        assertThat(triggered()).singleElement()
                .satisfies(t -> assertThat(t.evidence().devicesCounted()).isEqualTo(3));
    }

    @Test
    void given_a_one_device_cohort_when_its_install_fails_then_it_is_rolled_back_not_skipped() {
        send(new RolloutCreated(id(), clock, UpdraftEvent.SCHEMA_VERSION, ROLLOUT, "r", "rel", "1.2.0", 1, 1,
                List.of(COHORT), new RollbackPolicy(0.5, 3), Map.of(COHORT, 1)));

        install("d1", Outcome.FAILURE);

        assertThat(triggered()).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("failedInstalls: 1 of 1 installs failed (1.00 >= 0.50, sample 1)");
            assertThat(t.evidence().minSampleSize()).isEqualTo(1);
        });
    }

    @Test
    void given_devices_that_fail_after_reporting_installed_when_counted_then_the_boot_failure_rule_decides() {
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.SUCCESS);
        send(finishedAfterInstall("d3", Outcome.FAILURE)); // SWUpdate's report after the reboot: did not boot

        assertThat(triggered()).singleElement().satisfies(t -> {
            assertThat(t.reason())
                    .isEqualTo("bootFailures: 1 of 3 devices failed to boot the release (0.33 >= 0.20, sample 3)");
            assertThat(t.evidence().rule()).isEqualTo("bootFailures");
            assertThat(t.evidence().failed()).isEqualTo(1); // a boot failure is a failed install too
        });
    }

    @Test
    void given_a_count_limit_when_that_many_installs_failed_then_rollback_whatever_the_rate() throws Exception {
        start(DEFAULTS.withFailedInstalls(new CohortPolicy.Limits(null, 2, 3, Duration.ZERO)));
        for (int i = 0; i < 20; i++) {
            install("ok" + i, Outcome.SUCCESS);
        }
        install("bad1", Outcome.FAILURE);
        assertThat(rollbacks.isEmpty()).isTrue();

        install("bad2", Outcome.FAILURE);

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason())
                .isEqualTo("failedInstalls: 2 of 22 installs failed (count limit 2)"));
    }

    @Test
    void given_the_rollouts_own_rules_when_they_arrive_then_they_judge_its_cohorts() {
        RolloutEvent.RollbackPolicy policy = new RolloutEvent.RollbackPolicy(0.9, 10,
                new RolloutEvent.CountRule(0.9, null, 10, Duration.ZERO), null,
                new RolloutEvent.DeviceHealthRule(null, 1, 1, Duration.ZERO, 5, Duration.ofMinutes(1)),
                new RolloutEvent.SilenceRule(0.5, null, 2, Duration.ZERO, Duration.ofMinutes(1)), null);
        send(new RolloutCreated(id(), clock, UpdraftEvent.SCHEMA_VERSION, ROLLOUT, "r", "rel", "1.2.0", 1, 10,
                List.of(COHORT), policy, Map.of(COHORT, 10)));
        install("d1", Outcome.SUCCESS);
        install("d2", Outcome.SUCCESS);
        health("d1", true, 4); // 4 crashes: a loop by the defaults (3), not by this rollout's rule (5)

        driver.advanceWallClockTime(Duration.ofSeconds(70)); // both silent past this rollout's minute

        assertThat(triggered()).singleElement().satisfies(t -> assertThat(t.reason()).isEqualTo(
                "silentDevices: 1 of 2 devices were silent longer than PT1M after installing (0.50 >= 0.50, sample 2)"));
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
                .isEqualTo("silentDevices: 2 of 3 devices were silent longer than PT2M after installing (0.67 >= 0.30,"
                        + " sample 3)"));
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

    private void healthApp(String device, boolean appHealthy, int crashes) {
        send(new HealthReported(id(), clock, UpdraftEvent.SCHEMA_VERSION, device, true, crashes, appHealthy,
                Map.of()));
        flushHealth();
    }

    private ActionFinished finishedAfterInstall(String device, Outcome outcome) {
        return new ActionFinished(id(), clock, UpdraftEvent.SCHEMA_VERSION, device, actionIds.incrementAndGet(),
                ROLLOUT, 1, COHORT, "release-2", "1.2.0", false, outcome, List.of("rolled back at boot"), true);
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
