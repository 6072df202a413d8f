package io.updraft.release.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.release.api.RangeSelection.Part;
import io.updraft.release.api.RangeSelection.Unsatisfiable;
import io.updraft.release.api.RangeSelection.Whole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeSelectionTest {
    private static final long SIZE = 1000;

    @ParameterizedTest
    @CsvSource({
            "bytes=0-99,      0,   99",
            "bytes=100-,      100, 999",
            "bytes=-10,       990, 999",
            "bytes=-5000,     0,   999",
            "bytes=990-5000,  990, 999",
            "bytes=999-999,   999, 999",
            "BYTES=1-2,       1,   2",
            "' bytes= 5-6 ',  5,   6",
            "bytes=0-99999999999999999999999, 0, 999" })
    void givenOneSatisfiableRange_whenSelecting_thenThosePositionsClampedToTheSize(String header, long first, long last) {
        assertThat(RangeSelection.of(header, SIZE)).isEqualTo(new Part(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = { "bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=99999999999999999999-" })
    void givenARangeOutsideTheArtifact_whenSelecting_thenUnsatisfiable(String header) {
        assertThat(RangeSelection.of(header, SIZE)).isInstanceOf(Unsatisfiable.class);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "bytes=1-2,4-5", "items=0-1",
            "bytes 0-1", "bytes=0x1-2", "bytes=١-٢" })
    void givenNoRangeOrOneWeDoNotServe_whenSelecting_thenTheWholeArtifact(String header) {
        assertThat(RangeSelection.of(header, SIZE)).isInstanceOf(Whole.class);
    }

    @Test
    void givenAnEmptyArtifact_whenAskingForAnyRange_thenUnsatisfiable() {
        assertThat(RangeSelection.of("bytes=0-", 0)).isInstanceOf(Unsatisfiable.class);
        assertThat(RangeSelection.of("bytes=-1", 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void givenAPart_whenDescribingIt_thenLengthAndContentRangeAreInclusive() {
        Part part = new Part(10, 19);

        assertThat(part.length()).isEqualTo(10);
        assertThat(part.contentRange(SIZE)).isEqualTo("bytes 10-19/1000");
        assertThat(new Unsatisfiable().contentRange(SIZE)).isEqualTo("bytes */1000");
    }
}
