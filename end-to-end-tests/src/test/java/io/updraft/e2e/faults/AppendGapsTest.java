package io.updraft.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppendGapsTest {
    private static TopicRecords.Appended at(int partition, long time) {
        return new TopicRecords.Appended(partition, 0, "k", "v", time, true);
    }

    @Test
    void theGapAcrossAnInstantIsPerPartitionFromTheLastAppendBeforeToTheFirstAfter() {
        // partition 0 stalls from 1,000 to 9,000; partition 1 keeps going; partition 2 has nothing after
        AppendGaps gaps = AppendGaps.of(List.of(at(0, 1_000), at(1, 1_100), at(0, 500), at(1, 2_000), at(1, 3_000),
                at(0, 9_000), at(2, 800)));

        assertThat(gaps.across(1_500)).isEqualTo(Map.of(0, 8_000L, 1, 900L));
        assertThat(gaps.countFrom(1_500)).isEqualTo(3);
    }

    @Test
    void theLongestGapWithinAWindowCountsOnlyGapsWithBothEndsInIt() {
        AppendGaps gaps = AppendGaps.of(List.of(at(0, 0), at(0, 5_000), at(0, 5_300), at(1, 5_100), at(1, 6_000),
                at(0, 20_000)));

        assertThat(gaps.longestWithin(1_000, 10_000)).isEqualTo(900);
        assertThat(gaps.longestWithin(0, 30_000)).isEqualTo(14_700);
    }
}
