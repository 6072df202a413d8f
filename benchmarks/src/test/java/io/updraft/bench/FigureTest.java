package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.bench.Figure.Numbers;
import io.updraft.bench.Figure.Target;
import org.junit.jupiter.api.Test;

class FigureTest {

    @Test
    void ratioIsValueOverBaselineAndAbsentWithoutEither() {
        assertThat(Figure.of("x", 30, "r/s").against(120, "raw").ratio()).isEqualTo(0.25);
        assertThat(Figure.of("x", 30, "r/s").ratio()).isNull();
        assertThat(Figure.of("x", 30, "r/s").against(0, "raw").ratio()).isNull();
        assertThat(Figure.missing("x", "r/s", "failed").against(120, "raw").ratio()).isNull();
    }

    @Test
    void targetsJudgeTheValueOrTheRatioAtTheirLimitInclusive() {
        assertThat(Figure.of("heap", 1024, "MB").target(Target.atMost(1024)).met()).isTrue();
        assertThat(Figure.of("heap", 1025, "MB").target(Target.atMost(1024)).met()).isFalse();
        assertThat(Figure.of("rate", 100_000, "c/s").target(Target.atLeast(100_000)).met()).isTrue();
        assertThat(Figure.of("rate", 30, "c/s").against(100, "raw").target(Target.ratioAtLeast(30)).met()).isTrue();
        assertThat(Figure.of("rate", 29.9, "c/s").against(100, "raw").target(Target.ratioAtLeast(30)).met()).isFalse();
    }

    @Test
    void nothingToJudgeIsNeitherMetNorMissed() {
        assertThat(Figure.missing("rate", "c/s", "timed out").target(Target.atLeast(1)).met()).isNull();
        assertThat(Figure.of("rate", 50, "c/s").target(Target.ratioAtLeast(30)).met()).as("no baseline").isNull();
        assertThat(Figure.of("rate", 50, "c/s").met()).as("no target").isNull();
    }

    @Test
    void numbersGetSeparatorsAndAsManyDecimalsAsTheirSizeCallsFor() {
        assertThat(Numbers.format(1_234_567.89)).isEqualTo("1,234,568");
        assertThat(Numbers.format(42.25)).isEqualTo("42.3");
        assertThat(Numbers.format(1.2345)).isEqualTo("1.23");
        assertThat(Numbers.format(7.0)).isEqualTo("7");
        assertThat(Numbers.format(null)).isEqualTo("—");
        assertThat(Numbers.percent(0.4463)).isEqualTo("44.6 %");
    }
}
