package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code rollout watch} prints for two successive views, on a terminal and in a CI log. */
class ProgressBoardTest {
    private static final String ESC = "\u001b";
    private final StringWriter text = new StringWriter();

    @Test
    void givenATerminal_whenASecondViewArrives_thenTheBoardIsRedrawnInPlace() {
        ProgressBoard board = new ProgressBoard(new PrintWriter(text), true, 120);

        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));
        String first = take();
        board.show(view("RUNNING", "DONE", 10, "RUNNING", 5));
        String second = take();

        // the first frame draws the state and one bar per wave (the waiting one too), each on a cleared line
        assertThat(first).doesNotContain(ESC + "[3A")
                .isEqualTo(ProgressBoard.CLEAR_LINE + "rollout gw-firmware 1.2.0: RUNNING\n"
                        + ProgressBoard.CLEAR_LINE + "wave 1/2  10%  [####----------------]  2/10 finished  ok 2"
                        + "  failed 0  running 8  RUNNING\n"
                        + ProgressBoard.CLEAR_LINE + "wave 2/2 100%  [--------------------]  0/90 finished  ok 0"
                        + "  failed 0  running 90  PENDING\n");
        // the second goes up over those three lines and clears each before writing it again
        assertThat(second).startsWith(ESC + "[3A")
                .contains(ProgressBoard.CLEAR_LINE + "wave 1/2  10%  [####################]  10/10 finished  ok 10")
                .contains(ProgressBoard.CLEAR_LINE + "wave 2/2 100%  [#-------------------]  5/90 finished  ok 5");
        assertThat(second.split("\n")).hasSize(3);
    }

    @Test
    void givenATerminal_whenTheViewDidNotChange_thenNothingIsDrawn() {
        ProgressBoard board = new ProgressBoard(new PrintWriter(text), true, 120);
        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));
        take();

        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));

        assertThat(take()).isEmpty();
    }

    @Test
    void givenATerminal_whenSomethingElseWasPrintedBelowTheBoard_thenTheNextViewStartsANewBoardUnderIt() {
        ProgressBoard board = new ProgressBoard(new PrintWriter(text), true, 120);
        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));
        take();

        board.interrupted();
        board.show(view("RUNNING", "RUNNING", 3, "PENDING", 0));

        assertThat(take()).doesNotContain(ESC + "[3A").contains("3/10 finished");
    }

    @Test
    void givenANarrowTerminal_whenDrawing_thenLinesAreCutSoNoneWraps() {
        ProgressBoard board = new ProgressBoard(new PrintWriter(text), true, 40);

        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));

        for (String line : take().split("\n")) {
            assertThat(line.replace(ProgressBoard.CLEAR_LINE, "")).hasSizeLessThan(40);
        }
    }

    @Test
    void givenNoTerminal_whenASecondViewArrives_thenOnlyWhatChangedIsPrintedAsPlainLines() {
        ProgressBoard board = new ProgressBoard(new PrintWriter(text), false, 120);

        board.show(view("RUNNING", "RUNNING", 2, "PENDING", 0));
        String first = take();
        board.show(view("RUNNING", "DONE", 10, "RUNNING", 5));
        String second = take();

        assertThat(first).isEqualTo("rollout gw-firmware 1.2.0: RUNNING\n"
                + "wave 1/2  10%  [####----------------]  2/10 finished  ok 2  failed 0  running 8  RUNNING\n");
        assertThat(second).isEqualTo(
                "wave 1/2  10%  [####################]  10/10 finished  ok 10  failed 0  running 0  DONE\n"
                        + "wave 2/2 100%  [#-------------------]  5/90 finished  ok 5  failed 0  running 85  RUNNING\n");
        assertThat(first + second).doesNotContain(ESC);
    }

    private String take() {
        String taken = text.toString();
        text.getBuffer().setLength(0);
        return taken;
    }

    private static JsonNode view(String state, String wave1, int wave1Done, String wave2, int wave2Done) {
        return UpdraftApi.parse("""
                {"id":"r1","name":"gw-firmware 1.2.0","state":"%s",
                 "waves":[{"wave":1,"percent":10,"devices":10,"state":"%s","succeeded":%d,"failed":0,"canceled":0,
                           "expired":0,"running":%d},
                          {"wave":2,"percent":100,"devices":90,"state":"%s","succeeded":%d,"failed":0,"canceled":0,
                           "expired":0,"running":%d}],
                 "cohorts":[{"cohort":"gw-200:1.0","state":"ACTIVE"}],
                 "rollbackActions":{"sent":0,"succeeded":0,"failed":0}}
                """.formatted(state, wave1, wave1Done, 10 - wave1Done, wave2, wave2Done, 90 - wave2Done));
    }
}
