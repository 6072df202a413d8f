package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundredIsTheRankItself() {
        Percentiles p = Percentiles.of(IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray());

        assertThat(p.at(50)).isEqualTo(50);
        assertThat(p.at(99)).isEqualTo(99);
        assertThat(p.at(99.9)).isEqualTo(100);
        assertThat(p.at(0)).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
    }

    @Test
    void neverInterpolatesBetweenObservations() {
        Percentiles p = Percentiles.of(List.of(10, 20, 30, 40));

        assertThat(p.at(50)).isEqualTo(20);
        assertThat(p.at(51)).isEqualTo(30);
        assertThat(p.at(75)).isEqualTo(30);
        assertThat(p.at(76)).isEqualTo(40);
    }

    @Test
    void aTailOfOneSlowRequestShowsAtP99OfAHundredButNotAtP50() {
        double[] latencies = IntStream.range(0, 100).mapToDouble(i -> i == 42 ? 620.0 : 1.2).toArray();

        Percentiles p = Percentiles.of(latencies);

        assertThat(p.at(50)).isEqualTo(1.2);
        assertThat(p.at(99)).isEqualTo(1.2);
        assertThat(p.at(100)).isEqualTo(620.0);
        assertThat(Percentiles.of(IntStream.range(0, 50).mapToDouble(i -> i == 7 ? 620.0 : 1.2).toArray()).at(99))
                .isEqualTo(620.0);
    }

    @Test
    void oneObservationIsEveryPercentile() {
        assertThat(Percentiles.of(7.5).at(1)).isEqualTo(7.5);
        assertThat(Percentiles.of(7.5).at(99.99)).isEqualTo(7.5);
    }

    @Test
    void refusesAnEmptySampleAndPercentilesOutsideZeroToHundred() {
        assertThatThrownBy(() -> Percentiles.of().at(50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Percentiles.of(1, 2).at(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(1, 2).at(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
