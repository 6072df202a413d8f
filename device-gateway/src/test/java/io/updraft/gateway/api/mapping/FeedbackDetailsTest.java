package io.updraft.gateway.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeedbackDetailsTest {

    @Test
    void givenAWholeInstallLog_whenCapped_thenTheFirstFiftyLinesOfAtMostAThousandChars() {
        List<String> log = IntStream.range(0, 200).mapToObj(i -> i + " " + "x".repeat(5000)).toList();

        List<String> capped = FeedbackDetails.cap(log);

        assertThat(capped).hasSize(50).allSatisfy(line -> assertThat(line).hasSize(1000));
        assertThat(capped.get(49)).startsWith("49 ");
    }

    @Test
    void givenControlCharactersAndBrokenSurrogates_whenCapped_thenOneCleanLineEach() {
        List<String> details = new ArrayList<>();
        details.add("nul\u0000 tab\t cr\r lf\n esc\u001b del\u007f c1\u0085 end");
        details.add(null);
        details.add("lone \uDC00 low, lone \uD800 high, pair \uD83D\uDE00 kept");
        details.add("y".repeat(999) + "\uD83D\uDE00");

        assertThat(FeedbackDetails.cap(details)).containsExactly(
                "nul  tab  cr  lf  esc  del  c1  end",
                "lone \uFFFD low, lone \uFFFD high, pair \uD83D\uDE00 kept",
                "y".repeat(999));
    }
}
