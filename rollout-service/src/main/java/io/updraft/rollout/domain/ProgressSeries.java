package io.updraft.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rollout's progress over time, from its start until now, in at most {@link #MAX_BUCKETS} buckets of one width
 * chosen from its age (a round width: 1 s, 2 s, 5 s, … 1 h, … 1 day, then whole days). Point 0 is the start (nothing
 * yet); point i ≥ 1 holds the cumulative counts up to the end of bucket i − 1 (the last one ends now).
 *
 * @param from the rollout's start
 * @param bucket the width of a bucket
 * @param points the cumulative counts, oldest first
 */
public record ProgressSeries(Instant from, Duration bucket, List<Point> points) {

    /** Buckets at most: with the starting point, a chart gets at most 120 points. */
    public static final int MAX_BUCKETS = 119;

    private static final long[] ROUND_SECONDS = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
            10800, 21600, 43200, 86400 };

    /** Install actions dispatched (created), and ended SUCCEEDED resp. FAILED, up to {@code at}. */
    public record Point(Instant at, long dispatched, long succeeded, long failed) {
    }

    /** The width of a bucket for a rollout of this age: the smallest round one that needs ≤ MAX_BUCKETS. */
    public static Duration bucketFor(Duration age) {
        long needed = Math.max(1, ceilDiv(Math.max(0, age.toMillis()), MAX_BUCKETS * 1000L));
        for (long seconds : ROUND_SECONDS) {
            if (seconds >= needed) {
                return Duration.ofSeconds(seconds);
            }
        }
        return Duration.ofDays(ceilDiv(needed, 86400));
    }

    /** How many buckets cover {@code from} to {@code now} (at least one). */
    public static int buckets(Instant from, Instant now, Duration bucket) {
        long age = Math.max(0, Duration.between(from, now).toMillis());
        return (int) Math.max(1, ceilDiv(age, bucket.toMillis()));
    }

    /** The cumulative series of what each bucket counted (indexes 0 .. buckets − 1). */
    public static ProgressSeries of(Instant from, Instant now, Duration bucket, ActionTally tally) {
        int buckets = buckets(from, now, bucket);
        List<Point> points = new ArrayList<>(buckets + 1);
        points.add(new Point(from, 0, 0, 0));
        long dispatched = 0;
        long succeeded = 0;
        long failed = 0;
        for (int i = 0; i < buckets; i++) {
            dispatched += at(tally.dispatched(), i);
            succeeded += at(tally.succeeded(), i);
            failed += at(tally.failed(), i);
            Instant end = from.plus(bucket.multipliedBy(i + 1L));
            points.add(new Point(end.isAfter(now) ? now : end, dispatched, succeeded, failed));
        }
        return new ProgressSeries(from, bucket, List.copyOf(points));
    }

    private static long at(Map<Integer, Long> perBucket, int index) {
        return perBucket.getOrDefault(index, 0L);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
