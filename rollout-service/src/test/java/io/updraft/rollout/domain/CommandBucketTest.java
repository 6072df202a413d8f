package io.updraft.rollout.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandBucketTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void given_a_fresh_bucket_then_one_second_of_the_rate_leaves_at_once_and_no_more() {
        CommandBucket bucket = CommandBucket.full(40, T0).refill(40, T0);
        assertThat(bucket.allowed()).isEqualTo(40);
        CommandBucket spent = bucket.spend(40);
        assertThat(spent.allowed()).isZero();
        assertThat(spent.untilNextToken(40)).isEqualTo(Duration.ofMillis(25));
        assertThat(spent.refill(40, T0.plusMillis(24)).allowed()).isZero();
        assertThat(spent.refill(40, T0.plusMillis(25)).allowed()).isEqualTo(1);
        assertThat(spent.refill(40, T0.plusMillis(500)).allowed()).isEqualTo(20);
    }

    @Test
    void given_a_long_quiet_time_then_at_most_one_second_is_saved_up() {
        CommandBucket bucket = CommandBucket.full(40, T0).spend(40).refill(40, T0.plus(Duration.ofHours(1)));
        assertThat(bucket.allowed()).isEqualTo(40);
    }

    @Test
    void given_a_lowered_quota_then_what_was_saved_up_is_cut_to_it() {
        CommandBucket bucket = CommandBucket.full(100, T0).refill(10, T0.plusMillis(1));
        assertThat(bucket.allowed()).isEqualTo(10);
    }

    @Test
    void given_a_clock_that_goes_back_then_nothing_accrues_and_the_time_does_not_move_back() {
        CommandBucket bucket = CommandBucket.full(10, T0).spend(10).refill(10, T0.minusSeconds(5));
        assertThat(bucket.allowed()).isZero();
        assertThat(bucket.at()).isEqualTo(T0);
    }

    @Test
    void given_no_rate_then_it_is_refused() {
        assertThatThrownBy(() -> CommandBucket.full(1, T0).refill(0, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A dispatcher asking at irregular times and sending what it may, in chunks of at most 50: in no second do more
     * than 2N leave (N saved up, N accrued), and over a long run the rate is N — paced, not starved.
     */
    @Test
    void given_a_dispatcher_sending_what_the_bucket_allows_then_no_second_carries_more_than_twice_the_rate() {
        int perSecond = 40;
        Random random = new Random(23);
        CommandBucket bucket = CommandBucket.full(perSecond, T0);
        List<Instant> sent = new ArrayList<>();
        Instant now = T0;
        Instant end = T0.plusSeconds(60);
        while (now.isBefore(end)) {
            bucket = bucket.refill(perSecond, now);
            int chunk = Math.min(50, bucket.allowed());
            for (int i = 0; i < chunk; i++) {
                sent.add(now);
            }
            bucket = bucket.spend(chunk);
            // the next turn: at once after a chunk, else when a token is due or after an idle poll, whichever is later
            Duration wait = chunk > 0 ? Duration.ofMillis(random.nextInt(5))
                    : Duration.ofMillis(Math.max(bucket.untilNextToken(perSecond).toMillis(), random.nextInt(300)));
            now = now.plus(wait.isZero() ? Duration.ofMillis(1) : wait);
        }
        int busiest = 0;
        for (int first = 0, last = 0; first < sent.size(); first++) {
            while (last < sent.size() && sent.get(last).isBefore(sent.get(first).plusSeconds(1))) {
                last++;
            }
            busiest = Math.max(busiest, last - first);
        }
        assertThat(busiest).isLessThanOrEqualTo(2 * perSecond);
        assertThat(sent.size()).isBetween(60 * perSecond, 61 * perSecond);
    }
}
