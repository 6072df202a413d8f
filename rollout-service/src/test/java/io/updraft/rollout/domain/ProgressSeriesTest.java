package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressSeriesTest {

    @Test
    void a_bucket_is_round_and_no_age_needs_more_than_119_of_them() {
        assertThat(ProgressSeries.bucketFor(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProgressSeries.bucketFor(Duration.ofSeconds(119))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProgressSeries.bucketFor(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(2));
        assertThat(ProgressSeries.bucketFor(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(ProgressSeries.bucketFor(Duration.ofDays(400))).isEqualTo(Duration.ofDays(4));
        Instant from = Instant.parse("2026-12-01T00:00:00Z");
        for (long seconds : new long[] { 0, 1, 59, 119, 120, 121, 3599, 86_399, 7 * 86_400 + 3, 400L * 86_400 }) {
            Instant now = from.plusSeconds(seconds).plusMillis(seconds % 7);
            Duration bucket = ProgressSeries.bucketFor(Duration.between(from, now));
            assertThat(ProgressSeries.buckets(from, now, bucket)).as("%d s", seconds).isBetween(1,
                    ProgressSeries.MAX_BUCKETS);
        }
    }

    @Test
    void the_series_is_cumulative_starts_at_zero_and_ends_now() {
        Instant from = Instant.parse("2026-12-01T00:00:00Z");
        Instant now = from.plusMillis(3500);
        ActionTally tally = new ActionTally(List.of(), Map.of(0, 4L, 1, 2L), Map.of(1, 1L, 3, 2L), Map.of(2, 1L));
        ProgressSeries series = ProgressSeries.of(from, now, Duration.ofSeconds(1), tally);
        assertThat(series.points()).containsExactly(
                new ProgressSeries.Point(from, 0, 0, 0),
                new ProgressSeries.Point(from.plusSeconds(1), 4, 0, 0),
                new ProgressSeries.Point(from.plusSeconds(2), 6, 1, 0),
                new ProgressSeries.Point(from.plusSeconds(3), 6, 1, 1),
                new ProgressSeries.Point(now, 6, 3, 1));
    }
}
