package io.updraft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void aRateStillClimbingIsNotSettled() {
        // the gateway's JIT compiling: each slice faster than the one before
        assertFalse(WarmUp.settled(List.of(6_000.0, 11_000.0, 17_000.0), 2));
        assertTrue(WarmUp.another(List.of(6_000.0, 11_000.0, 17_000.0), 2));
    }

    @Test
    void twoSlicesWithinFivePerCentAreSettled() {
        assertTrue(WarmUp.settled(List.of(6_000.0, 11_000.0, 26_000.0, 27_200.0), 2));
        assertTrue(WarmUp.settled(List.of(30_000.0, 28_600.0), 2));
        assertFalse(WarmUp.settled(List.of(30_000.0, 28_400.0), 2));
        assertFalse(WarmUp.another(List.of(30_000.0, 28_600.0), 2));
    }

    @Test
    void neverSettledBeforeTheMinimum() {
        assertFalse(WarmUp.settled(List.of(30_000.0), 1));
        assertFalse(WarmUp.settled(List.of(30_000.0, 30_000.0, 30_000.0), 4));
        assertTrue(WarmUp.settled(List.of(30_000.0, 30_000.0, 30_000.0, 30_000.0), 4));
    }

    @Test
    void stopsAtTheMaximumUnsettled() {
        List<Double> climbing = new java.util.ArrayList<>();
        for (int i = 1; i <= WarmUp.MAX_SLICES; i++) {
            climbing.add(1_000.0 * i * i);
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
