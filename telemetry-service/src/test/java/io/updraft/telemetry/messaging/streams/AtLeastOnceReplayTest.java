package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RollbackEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.telemetry.domain.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What at-least-once processing replays after a crash — signals the referee has counted, sent again with the same
 * source and position on the repartition topic — changes no count and no decision, and a decision taken again (its
 * state lost with the crash) carries the same event id.
 */
class AtLeastOnceReplayTest {
    private static final String ROLLOUT = "rollout-1";
    private static final String COHORT = "gw-200:1.0";
    private static final String APPLICATION = "at-least-once-test";
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private final TopologySettings settings = new TopologySettings(Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY,
            Topics.ROLLOUT_EVENTS, Topics.ROLLBACKS, HealthTopologyTest.DEFAULTS, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofDays(1));
    private TopologyTestDriver driver;
    private TestInputTopic<String, CohortSignal> signals;
    private TestInputTopic<String, String> reports;
    private TestInputTopic<String, String> telemetry;
    private TestOutputTopic<String, String> rollbacks;
    @TempDir
    Path stateDirs;

    @BeforeEach
    void start() throws Exception {
        if (driver != null) {
            driver.close();
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateDirs, "state").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(HealthTopology.build(settings, created -> settings.defaults()), props,
                START);
        // the repartition topic itself: what a replay puts on it is what this test sends
        signals = driver.createInputTopic(APPLICATION + "-" + HealthTopology.SIGNALS + "-repartition",
                new StringSerializer(), CohortSignal.SERDE.serializer(), START, Duration.ofMillis(10));
        reports = driver.createInputTopic(Topics.DEVICE_REPORTS, new StringSerializer(), new StringSerializer(),
                START, Duration.ofMillis(10));
        telemetry = driver.createInputTopic(Topics.DEVICE_TELEMETRY, new StringSerializer(), new StringSerializer(),
                START, Duration.ofMillis(10));
        rollbacks = driver.createOutputTopic(Topics.ROLLBACKS, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void given_counted_install_results_when_they_are_replayed_then_the_counts_do_not_change() {
        int source = CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_REPORTS, 2);
        send(install(CohortSignal.Kind.INSTALL_SUCCEEDED, source, CohortSignal.positionOf(40, 0)));
        send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(41, 0)));

        // when: both come again (the tracker's replay after a crash, or the referee's own input read again)
        send(install(CohortSignal.Kind.INSTALL_SUCCEEDED, source, CohortSignal.positionOf(40, 0)));
        send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(41, 0)));

        // then: counted once; a later position of the same partition and any of another partition still count
        assertThat(cohort().totals().succeeded()).isEqualTo(1);
        assertThat(cohort().totals().failed()).isEqualTo(1);
        send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(41, 1)));
        send(install(CohortSignal.Kind.INSTALL_FAILED,
                CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_REPORTS, 3), CohortSignal.positionOf(5, 0)));
        assertThat(cohort().totals().failed()).isEqualTo(3);
        assertThat(windowed().failed()).isEqualTo(3); // the window store counted each once too
    }

    @Test
    void given_a_counted_health_sum_when_an_earlier_or_the_same_sum_comes_again_then_only_what_is_new_counts() {
        int source = CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_TELEMETRY, 0);
        send(health(source, 10, 12, 3, 1));
        send(health(source, 10, 11, 2, 1)); // an earlier flush of the same sum, replayed
        send(health(source, 10, 12, 3, 1)); // the same flush again
        assertThat(cohort().totals().healthReports()).isEqualTo(3);
        assertThat(cohort().totals().crashes()).isEqualTo(1);

        // when: the replay cut the sum at another report than the first run did: it holds 2 reports more
        send(health(source, 10, 14, 5, 4));

        // then: the two, and their crashes, count; a new sum of the window (another first report) counts whole
        assertThat(cohort().totals().healthReports()).isEqualTo(5);
        assertThat(cohort().totals().crashes()).isEqualTo(4);
        send(health(source, 30, 31, 2, 0));
        assertThat(cohort().totals().healthReports()).isEqualTo(7);
    }

    @Test
    void given_a_replay_that_cut_a_health_sum_at_other_reports_when_it_comes_then_no_report_counts_twice() {
        int source = CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_TELEMETRY, 0);
        send(health(source, 10, 14, 5, 4)); // the first attempt: reports at offsets 10..14 of the window

        // when: the replay interleaved the device topics otherwise: the report at 10 went to the device's baseline
        // (its install came later this time), so the sum starts at 12 and overlaps what was counted
        send(health(source, 12, 16, 5, 3));

        // then: none of the overlapping sum counts; what it gains from here on does
        assertThat(cohort().totals().healthReports()).isEqualTo(5);
        assertThat(cohort().totals().crashes()).isEqualTo(4);
        send(health(source, 12, 18, 7, 5));
        assertThat(cohort().totals().healthReports()).isEqualTo(7);
        assertThat(cohort().totals().crashes()).isEqualTo(6);
        assertThat(windowed().healthReports()).isEqualTo(7);
    }

    @Test
    void given_a_device_counted_silent_when_its_checkpoint_comes_again_then_it_stays_counted_once() {
        long silentOne = CohortSignal.deviceOf("d-silent");
        for (int i = 0; i < 3; i++) {
            send(heartbeat(CohortSignal.Kind.HEARTBEAT_RETURNED, CohortSignal.deviceOf("d-" + i), 1_000, 0));
        }
        send(heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED, silentOne, HOUR, 0));
        assertThat(cohort().totals().heartbeatsMissed()).isEqualTo(1);

        // when: the tracker's heartbeat state came back older than what it sent (a crash under at-least-once): the
        // same checkpoint again, with the checkpoints the device had passed before it; then the device comes back
        send(heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED, silentOne, HOUR, 0));
        send(heartbeat(CohortSignal.Kind.HEARTBEAT_RETURNED, silentOne, HOUR + 1_000, 0));

        // then: 1 of 4 devices silent (below the 0.3 of the policy): no rollback
        assertThat(cohort().totals().heartbeatsMissed()).isEqualTo(1);
        assertThat(cohort().totals().heartbeatsReturned()).isEqualTo(3);
        assertThat(rollbacks.isEmpty()).isTrue();
        // another device's silence still counts
        send(heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED, CohortSignal.deviceOf("d-other"), HOUR, 0));
        assertThat(cohort().totals().heartbeatsMissed()).isEqualTo(2);
    }

    @Test
    void given_reports_through_the_tracker_when_its_signals_are_replayed_then_nothing_counts_twice() {
        // the tracker's own signals, recorded off its output and put on the repartition topic again
        for (int i = 0; i < 3; i++) {
            reports.pipeInput("d" + i, EventJson.write(finished("d" + i, i + 1, Outcome.SUCCESS)));
            telemetry.pipeInput("d" + i, EventJson.write(new HealthReported("h" + i, START,
                    UpdraftEvent.SCHEMA_VERSION, "d" + i, true, 1, true, Map.of())));
        }
        driver.advanceWallClockTime(settings.healthFlushInterval());
        CohortState before = cohort();
        assertThat(before.totals().succeeded()).isEqualTo(3);
        assertThat(before.totals().healthReports()).isEqualTo(3);
        assertThat(before.marks()).isNotEmpty();
        assertThat(before.healthMarks()).hasSize(1);

        // a replay of every install result (positions 0..2 of partition 0: what the tracker sent first)
        int source = CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_REPORTS, 0);
        for (int offset = 0; offset < 3; offset++) {
            send(install(CohortSignal.Kind.INSTALL_SUCCEEDED, source, CohortSignal.positionOf(offset, 0)));
        }
        driver.advanceWallClockTime(settings.healthFlushInterval()); // nothing new pending: no signal

        assertThat(cohort().totals()).isEqualTo(before.totals());
    }

    @Test
    void given_a_decided_cohort_when_the_deciding_signals_are_replayed_then_no_second_decision_and_after_lost_state_the_same_id()
            throws Exception {
        int source = CohortSignal.sourceOf(CohortSignal.SourceTopic.DEVICE_REPORTS, 0);
        for (int offset = 0; offset < 3; offset++) {
            send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(offset, 0)));
        }
        List<RollbackTriggered> first = triggered();
        assertThat(first).singleElement()
                .satisfies(t -> assertThat(t.eventId()).isEqualTo(CohortReferee.decisionId(ROLLOUT, COHORT)));
        for (int offset = 0; offset < 3; offset++) {
            send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(offset, 0)));
        }
        assertThat(rollbacks.isEmpty()).isTrue();
        assertThat(cohort().totals().failed()).isEqualTo(3);

        // when: the state that held the decision is lost (a crash before it reached the changelog) and the same
        // input is processed again
        start();
        for (int offset = 0; offset < 3; offset++) {
            send(install(CohortSignal.Kind.INSTALL_FAILED, source, CohortSignal.positionOf(offset, 0)));
        }

        // then: the decision sent again is the same decision: same event id (the inboxes skip it), same reason
        assertThat(triggered()).singleElement().satisfies(t -> {
            assertThat(t.eventId()).isEqualTo(first.get(0).eventId());
            assertThat(t.reason()).isEqualTo(first.get(0).reason());
        });
    }

    private void send(CohortSignal signal) {
        signals.pipeInput(signal.cohortKey(), signal);
    }

    private static CohortSignal install(CohortSignal.Kind kind, int source, long position) {
        return new CohortSignal(kind, ROLLOUT, COHORT, 1, "release-2", Figures.NONE, 0, 0, null, 0, 0, false, false,
                null, 0, source, position, 0, CohortSignal.NO_DEVICE);
    }

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static CohortSignal heartbeat(CohortSignal.Kind kind, long device, long silentMillis, int checkpoints) {
        HeartbeatDue due = new HeartbeatDue(ROLLOUT, COHORT, 1, "release-2", START.toEpochMilli() + 30_000,
                START.toEpochMilli(), checkpoints);
        return CohortSignal.heartbeat(kind, due, silentMillis, checkpoints, device);
    }

    private static CohortSignal health(int source, long first, long last, long reports, long crashes) {
        return CohortSignal.health(ROLLOUT, COHORT, 1, "release-2",
                new Figures(0, 0, reports, 0, 0, 0, crashes, 0, 0, 0, 0, Map.of(), Map.of()))
                .from(source, first, last);
    }

    private static ActionFinished finished(String device, long actionId, Outcome outcome) {
        return new ActionFinished("a" + actionId, START, UpdraftEvent.SCHEMA_VERSION, device, actionId, ROLLOUT, 1,
                COHORT, "release-2", "1.2.0", false, outcome, List.of());
    }

    private CohortState cohort() {
        KeyValueStore<String, CohortState> store = driver.getKeyValueStore(HealthTopology.COHORT_STORE);
        return store.get(CohortSignal.keyOf(ROLLOUT, COHORT));
    }

    private Figures windowed() {
        Figures sum = Figures.NONE;
        try (var all = driver.<String, Figures>getWindowStore(HealthTopology.WINDOW_STORE).all()) {
            while (all.hasNext()) {
                sum = sum.plus(all.next().value);
            }
        }
        return sum;
    }

    private List<RollbackTriggered> triggered() {
        return rollbacks.readValuesToList().stream()
                .map(json -> (RollbackTriggered) EventJson.read(json, RollbackEvent.class)).toList();
    }
}
