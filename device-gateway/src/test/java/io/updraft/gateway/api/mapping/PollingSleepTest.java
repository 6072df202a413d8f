package io.updraft.gateway.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PollingSleepTest {
    @Test
    void givenDurations_whenFormatted_thenExactlyHhMmSs() {
        assertThat(PollingSleep.format(Duration.ofMinutes(5))).isEqualTo("00:05:00");
        assertThat(PollingSleep.format(Duration.ofSeconds(30))).isEqualTo("00:00:30");
        assertThat(PollingSleep.format(Duration.ofHours(2).plusMinutes(3).plusSeconds(4))).isEqualTo("02:03:04");
        assertThat(PollingSleep.format(Duration.ofDays(3))).isEqualTo("23:59:59");
        assertThat(PollingSleep.format(Duration.ofMillis(1500))).isEqualTo("00:00:01");
    }

    @Test
    void givenJitter_whenManyDevicesAskForTheirSleep_thenSpreadOverPlusMinusTheFractionAndFixedPerDevice() {
        Duration interval = Duration.ofMinutes(5);
        List<Long> seconds = IntStream.range(0, 10_000)
                .mapToObj(i -> PollingSleep.jittered(interval, 0.1, "dev-" + i).toSeconds())
                .toList();

        assertThat(seconds).allSatisfy(s -> assertThat(s).isBetween(270L, 330L));
        // spread, not clustered: both tails and the middle are used, roughly evenly
        assertThat(seconds.stream().filter(s -> s < 276).count()).isBetween(500L, 1500L);
        assertThat(seconds.stream().filter(s -> s > 324).count()).isBetween(500L, 1500L);
        assertThat(seconds.stream().filter(s -> s >= 297 && s <= 303).count()).isBetween(500L, 1700L);
        assertThat(seconds.stream().mapToLong(Long::longValue).average().orElseThrow()).isBetween(297.0, 303.0);
        // deterministic: the same device always gets the same sleep
        assertThat(PollingSleep.jittered(interval, 0.1, "dev-42")).isEqualTo(PollingSleep.jittered(interval, 0.1, "dev-42"));
    }

    @Test
    void givenNoJitterOrAShortInterval_whenJittered_thenExactOrNeverBelowOneSecond() {
        assertThat(PollingSleep.jittered(Duration.ofSeconds(30), 0, "dev-1")).isEqualTo(Duration.ofSeconds(30));
        assertThat(IntStream.range(0, 1000).mapToObj(i -> PollingSleep.jittered(Duration.ofSeconds(1), 0.5, "d" + i)))
                .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(PollingSleep.spread("a")).isBetween(-1.0, 1.0);
    }

    @Test
    void givenHugeDetails_whenCapped_thenBoundedNeverRejected() {
        List<String> details = java.util.stream.IntStream.range(0, 80).mapToObj(i -> "y".repeat(i * 20)).toList();

        List<String> capped = FeedbackDetails.cap(details);

        assertThat(capped).hasSize(FeedbackDetails.MAX_LINES);
        assertThat(capped).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(FeedbackDetails.MAX_LINE_LENGTH));
        assertThat(FeedbackDetails.cap(null)).isEmpty();
    }
}
