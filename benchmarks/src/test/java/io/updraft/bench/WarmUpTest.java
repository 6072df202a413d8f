package io.updraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.updraft.bench.WarmUp.Slice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void aRateStillClimbingIsNotSettled() {
        // the gateway's JIT compiling: each slice faster and cheaper than the one before
        List<Slice> climbing = List.of(new Slice(6_000, 300), new Slice(11_000, 150), new Slice(17_000, 90));
        assertFalse(WarmUp.settled(climbing, 2));
        assertTrue(WarmUp.another(climbing, 2));
    }

    @Test
    void twoSlicesWithinFivePerCentInRateAndCpuAreSettled() {
        assertTrue(WarmUp.settled(List.of(new Slice(6_000, 430), new Slice(29_600, 44), new Slice(35_100, 32),
                new Slice(33_900, 30.5)), 2));
        assertTrue(WarmUp.settled(List.of(new Slice(30_000, 30), new Slice(28_600, 31)), 2));
        assertFalse(WarmUp.settled(List.of(new Slice(30_000, 30), new Slice(28_400, 30)), 2));
        assertFalse(WarmUp.another(List.of(new Slice(30_000, 30), new Slice(28_600, 31)), 2));
    }

    @Test
    void aRatePlateauWhileTheCpuPerRequestStillFallsIsNotSettled() {
        // a busy machine: the rate flat for two slices, the server still compiling (quick run at load 10-28)
        assertFalse(WarmUp.settled(List.of(new Slice(2_331, 508), new Slice(1_872, 500), new Slice(1_805, 474)), 2));
    }

    @Test
    void neverSettledBeforeTheMinimum() {
        Slice same = new Slice(30_000, 30);
        assertFalse(WarmUp.settled(List.of(same), 1));
        assertFalse(WarmUp.settled(List.of(same, same, same), 4));
        assertTrue(WarmUp.settled(List.of(same, same, same, same), 4));
    }

    @Test
    void stopsAtTheMaximumUnsettled() {
        List<Slice> climbing = new ArrayList<>();
        for (int i = 1; i <= WarmUp.MAX_SLICES; i++) {
            climbing.add(new Slice(1_000.0 * i * i, 1_000.0 / i));
        }
        assertFalse(WarmUp.settled(climbing, 2));
        assertFalse(WarmUp.another(climbing, 2));
    }

    @Test
    void theMinimumIsTheFixedWarmUpItReplaces() {
        assertEquals(2, WarmUp.minSlices(10)); // --quick: 5 s → two 3 s slices
        assertEquals(4, WarmUp.minSlices(20)); // full run: 10 s → four slices
        assertEquals(2, WarmUp.minSlices(4));
    }
}
