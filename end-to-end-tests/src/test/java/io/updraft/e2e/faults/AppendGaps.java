package io.updraft.e2e.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long appends to each partition of a topic stopped, from the broker's append times. The gap across a broker's
 * death on a partition it led is how long producers could not write there: a producer keeps appending to the other
 * partitions meanwhile, so the gaps are per partition.
 */
record AppendGaps(Map<Integer, List<Long>> byPartition) {

    static AppendGaps of(List<TopicRecords.Appended> records) {
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        for (TopicRecords.Appended record : records) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.timestamp());
        }
        byPartition.replaceAll((partition, times) -> times.stream().sorted().toList());
        return new AppendGaps(byPartition);
    }

    /** Partition → milliseconds from its last append before {@code instant} to its first one after (if it has both). */
    Map<Integer, Long> across(long instant) {
        Map<Integer, Long> gaps = new TreeMap<>();
        byPartition.forEach((partition, times) -> {
            Long before = null;
            Long after = null;
            for (long time : times) {
                if (time < instant) {
                    before = time;
                } else if (after == null) {
                    after = time;
                }
            }
            if (before != null && after != null) {
                gaps.put(partition, after - before);
            }
        });
        return gaps;
    }

    /** The longest gap between two successive appends to one partition, both within [{@code from}, {@code to}). */
    long longestWithin(long from, long to) {
        long longest = 0;
        for (List<Long> times : byPartition.values()) {
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i - 1) >= from && times.get(i) < to) {
                    longest = Math.max(longest, times.get(i) - times.get(i - 1));
                }
            }
        }
        return longest;
    }

    long countFrom(long instant) {
        return byPartition.values().stream().flatMap(List::stream).filter(t -> t >= instant).count();
    }
}
