package io.updraft.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
    void givenHugeDetails_whenCapped_thenBoundedNeverRejected() {
        List<String> details = java.util.stream.IntStream.range(0, 80).mapToObj(i -> "y".repeat(i * 20)).toList();

        List<String> capped = FeedbackDetails.cap(details);

        assertThat(capped).hasSize(FeedbackDetails.MAX_LINES);
        assertThat(capped).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(FeedbackDetails.MAX_LINE_LENGTH));
        assertThat(FeedbackDetails.cap(null)).isEmpty();
    }
}
