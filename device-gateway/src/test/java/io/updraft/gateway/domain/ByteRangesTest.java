package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.gateway.domain.ByteRanges.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangesTest {
    private static List<Part> select(String header, long length) {
        return ByteRanges.select(ByteRanges.parse(header).orElseThrow(), length);
    }

    @Test
    void rangesComeOutInTheOrderRequestedWithOpenAndSuffixRangesResolved() {
        assertThat(select("bytes=500-599, 0-9,-100,15000-", 20_000)).containsExactly(new Part(500, 599),
                new Part(0, 9), new Part(15_000, 19_999));
        assertThat(select("bytes=500-599,0-9,-100", 20_000)).containsExactly(new Part(500, 599), new Part(0, 9),
                new Part(19_900, 19_999));
    }

    @Test
    void overlappingRangesAreCoalescedAtThePlaceOfTheFirstTouchingOnesAreNot() {
        assertThat(select("bytes=1000-1099,0-99,50-149", 20_000)).containsExactly(new Part(1000, 1099),
                new Part(0, 149));
        assertThat(select("bytes=50-149,1000-1099,0-99", 20_000)).containsExactly(new Part(0, 149),
                new Part(1000, 1099));
        // a later range that bridges two earlier ones folds all three into the first one's place
        assertThat(select("bytes=0-9,100-109,5-104", 20_000)).containsExactly(new Part(0, 109));
        assertThat(select("bytes=0-9,10-19", 20_000)).containsExactly(new Part(0, 9), new Part(10, 19));
    }

    @Test
    void rangesPastTheEndAreDroppedAndNoneLeftMeansUnsatisfiable() {
        assertThat(select("bytes=0-9,30000-30010,19995-25000", 20_000)).containsExactly(new Part(0, 9),
                new Part(19_995, 19_999));
        assertThat(select("bytes=20000-20010,30000-", 20_000)).isEmpty();
        assertThat(select("bytes=-0,0-5", 0)).isEmpty();
        assertThat(select("bytes=-50000", 20_000)).containsExactly(new Part(0, 19_999));
        assertThat(select("bytes=99999999999999999999999-,0-0", 20_000)).containsExactly(new Part(0, 0));
    }

    @Test
    void malformedHeadersAreIgnoredWhole() {
        for (String header : List.of("bytes=0-9,abc", "bytes=9-0,20-29", "items=0-9,20-29", "bytes=,", "bytes=",
                "bytes=-", "bytes=0-9-10", "bytes 0-9", "bytes=+1-2", "bytes=0x1-2", "bytes=0-9;20-29",
                "bytes=1 2-3")) {
            assertThat(ByteRanges.parse(header)).as(header).isEmpty();
        }
        assertThat(ByteRanges.parse(null)).isEmpty();
    }

    @Test
    void aSingleSpecIsNormalisedForForwarding() {
        assertThat(ByteRanges.parse("bytes=0-9,,").orElseThrow().get(0).header()).isEqualTo("bytes=0-9");
        assertThat(ByteRanges.parse("bytes= 100-").orElseThrow().get(0).header()).isEqualTo("bytes=100-");
        assertThat(ByteRanges.parse(",bytes=-7").isPresent()).isFalse();
        assertThat(ByteRanges.parse("bytes=,-7").orElseThrow().get(0).header()).isEqualTo("bytes=-7");
    }

    @Test
    void emptyListElementsAndWhitespaceAroundCommasAreAccepted() {
        assertThat(ByteRanges.parse(" Bytes = 0-9 ,, 20-29 ,").orElseThrow()).hasSize(2);
    }
}
