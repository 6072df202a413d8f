package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.updraft.fleet.FleetScenario.FailureMode;
import io.updraft.fleet.FleetScenario.FailureRule;
import io.updraft.fleet.FleetScenario.HardwareMix;
import io.updraft.fleet.FleetScenario.OfflineRule;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator against a fake DDI server: offline and late devices, cut downloads, injected failures. */
class FleetBehaviourTest {
    private FakeGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private FleetScenario scenario(List<HardwareMix> hardware, List<FailureRule> failures, List<OfflineRule> offline,
            double cutShare) {
        return new FleetScenario(gateway.url(), "DEFAULT", "token", "t", hardware, failures, Duration.ofMillis(50),
                Duration.ofMillis(300), "1.0.0", Duration.ofMillis(150), offline, cutShare, 5L);
    }

    @Test
    void devicesOfflineForTheWholeRunNeverPollAndLateOnesInstallOnceTheyAreBack() {
        List<OfflineRule> offline = List.of(new OfflineRule("gone", 1.0, null, null),
                new OfflineRule("late", 1.0, Duration.ZERO, Duration.ofMillis(1500)));
        try (Fleet fleet = new Fleet(scenario(List.of(new HardwareMix("ok", "1", 2), new HardwareMix("gone", "1", 2),
                new HardwareMix("late", "1", 2)), List.of(), offline, 0)).start()) {
            // the late devices install once they are back, after the always-online ones
            await().atMost(Duration.ofSeconds(20)).until(() -> fleet.versionsByModel().get("late")
                    .equals(java.util.Map.of(FakeGateway.VERSION, 2L)));
            assertThat(fleet.versionsByModel().get("ok")).containsEntry(FakeGateway.VERSION, 2L);
            assertThat(gateway.polls("t-late-000")).isPositive();
            // while the devices that are offline all along never said a word
            assertThat(gateway.polls("t-gone-000") + gateway.polls("t-gone-001")).isZero();
            assertThat(fleet.versionsByModel().get("gone")).containsEntry("1.0.0", 2L);
            assertThat(fleet.summary()).contains("offline=2");
        }
    }

    @Test
    void requestsAnswered503WithRetryAfterAreSentAgainAndEachDeviceReportsItsResultOnce() {
        // given a gateway that refuses the next downloads and final feedbacks with 503 + Retry-After: 1
        gateway.unavailable.set(5);
        try (Fleet fleet = new Fleet(scenario(List.of(new HardwareMix("m", "1", 2)), List.of(), List.of(), 0))
                .start()) {
            // then every device still installs, after waiting out the refusals
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.versionsByModel().get("m").equals(java.util.Map.of(FakeGateway.VERSION, 2L)));
            assertThat(gateway.refused.get()).isEqualTo(5);
            assertThat(fleet.stats().retriedAfterUnavailable()).isEqualTo(5);
            // and sent its final result once, installed once, and succeeded once
            IntStream.range(0, 2).forEach(n -> assertThat(gateway.feedback("t-m-00" + n))
                    .filteredOn(f -> f.startsWith("closed")).containsExactly("closed/success"));
            assertThat(fleet.repeatedInstalls()).isEmpty();
            assertThat(fleet.stats().installsSucceeded()).isEqualTo(2);
            assertThat(fleet.stats().installsFailed()).isZero();
        }
    }

    @Test
    void aDownloadCutHalfwayIsResumedWithRangeAndEndsWithTheRightSha256() {
        try (Fleet fleet = new Fleet(scenario(List.of(new HardwareMix("m", "1", 3)), List.of(), List.of(), 1.0))
                .start()) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> fleet.versionsByModel().get("m").equals(java.util.Map.of(FakeGateway.VERSION, 3L)));
            // every device hung up after half the bytes and asked for the rest
            assertThat(gateway.ranges).hasSize(3).allMatch(r -> r.equals("bytes=" + gateway.artifact.length / 2 + "-"));
            assertThat(fleet.stats().downloadsResumed()).isEqualTo(3);
            // the digest over both parts matched, so no device saw a problem and all reported success
            assertThat(fleet.logs()).allSatisfy(log -> assertThat(log.problems()).isEmpty());
            IntStream.range(0, 3).forEach(n -> assertThat(gateway.feedback("t-m-00" + n)).contains("closed/success"));
        }
    }

    @Test
    void injectedFailuresShowAsInstallFailuresCrashLoopsOrSilence() {
        List<FailureRule> failures = List.of(new FailureRule("bad", FakeGateway.VERSION, 1.0, FailureMode.INSTALL_FAILURE),
                new FailureRule("crashy", FakeGateway.VERSION, 1.0, FailureMode.CRASH_LOOP),
                new FailureRule("mute", FakeGateway.VERSION, 1.0, FailureMode.SILENT_DEATH));
        try (Fleet fleet = new Fleet(scenario(List.of(new HardwareMix("bad", "1", 1), new HardwareMix("crashy", "1", 1),
                new HardwareMix("mute", "1", 1), new HardwareMix("fine", "1", 1)), failures, List.of(), 0)).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.finished.size() == 4
                    && gateway.health.containsKey("t-crashy-000") && gateway.health.containsKey("t-fine-000"));

            assertThat(gateway.feedback("t-bad-000")).contains("closed/failure");
            assertThat(fleet.versionsByModel().get("bad")).containsEntry("1.0.0", 1L);
            assertThat(gateway.health.get("t-crashy-000").get(0)).contains("\"crashCount\":5")
                    .contains("\"appHealthy\":false");
            assertThat(gateway.health.get("t-fine-000").get(0)).contains("\"crashCount\":0");
            assertThat(gateway.feedback("t-mute-000")).contains("closed/success");

            // the silently dead device never polls again, while a healthy one keeps polling
            int mutePolls = gateway.polls("t-mute-000");
            int finePolls = gateway.polls("t-fine-000");
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.polls("t-fine-000") >= finePolls + 3);
            assertThat(gateway.polls("t-mute-000")).isEqualTo(mutePolls);
            assertThat(gateway.health).doesNotContainKey("t-mute-000");
            assertThat(fleet.stats().silentDeaths()).isEqualTo(1);
        }
    }

    @Test
    void eachDeviceKeepsWhenItSentItsInstallResultAndWhenTheGatewayAnsweredIt() {
        List<FailureRule> failures = List.of(new FailureRule("bad", FakeGateway.VERSION, 1.0, FailureMode.INSTALL_FAILURE));
        java.time.Instant before = java.time.Instant.now();
        try (Fleet fleet = new Fleet(scenario(List.of(new HardwareMix("bad", "1", 1), new HardwareMix("fine", "1", 1)),
                failures, List.of(), 0)).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.finished.size() == 2
                    && fleet.finalReport("t-bad-000", 1).map(r -> r.answered() != null).orElse(false)
                    && fleet.finalReport("t-fine-000", 1).map(r -> r.answered() != null).orElse(false));

            FinalReport failed = fleet.finalReport("t-bad-000", 1).orElseThrow();
            assertThat(failed.failed()).isTrue();
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.sent()).isAfterOrEqualTo(before).isBeforeOrEqualTo(failed.answered());
            assertThat(fleet.finalReport("t-fine-000", 1).orElseThrow().failed()).isFalse();
            // another action, or a device of another fleet, has none
            assertThat(fleet.finalReport("t-bad-000", 2)).isEmpty();
            assertThat(fleet.finalReport("x-bad-000", 1)).isEmpty();
        }
    }
}
