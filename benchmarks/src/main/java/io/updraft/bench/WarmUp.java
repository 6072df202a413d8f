package io.updraft.bench;

import java.util.List;

/**
 * When a server's JIT has settled under the benchmark's own load: wrk runs in short slices against it until the last
 * slice's rate and the server's CPU per request (its JIT compiler threads included) are each within
 * {@link #TOLERANCE} of the slice before, after at least {@code minSlices} and at most {@link #MAX_SLICES}. The rate
 * alone can settle on a plateau while the machine is busy with other work (1,800 polls/s for two slices at 500 µs of
 * gateway CPU per poll, still compiling); the CPU per request falls for as long as compilations run. A fixed warm-up
 * left the gateway's C2 compilations in the measured window when the runs were short (quick 10 s runs after 5 s: 38.6 %
 * of bare, the full 20 s runs after 10 s: 70.8 %): the gateway's code path is far larger than the bare endpoint's, so
 * it needs longer, and how much longer depends on the machine's load.
 */
final class WarmUp {
    /** Seconds per warm-up slice. */
    static final int SLICE_SECONDS = 3;
    /** Consecutive slices whose rates differ by at most this share count as settled. */
    static final double TOLERANCE = 0.05;
    /** A warm-up never takes longer than this many slices, settled or not (then the run says so). */
    static final int MAX_SLICES = 10;

    private WarmUp() {
    }

    /** Slices at least: the fixed warm-up this replaces ({@code max(5, seconds / 2)} s), and never fewer than 2. */
    static int minSlices(int runSeconds) {
        int fixed = Math.max(5, runSeconds / 2);
        return Math.max(2, (fixed + SLICE_SECONDS - 1) / SLICE_SECONDS);
    }

    /** One warm-up slice: the server's requests/s and its CPU per request (µs). */
    record Slice(double rate, double cpuMicros) {
    }

    /** Whether the warm-up can stop after these slices (oldest first). */
    static boolean settled(List<Slice> slices, int minSlices) {
        if (slices.size() < Math.max(2, minSlices)) {
            return false;
        }
        Slice last = slices.get(slices.size() - 1);
        Slice before = slices.get(slices.size() - 2);
        return close(last.rate(), before.rate()) && close(last.cpuMicros(), before.cpuMicros());
    }

    private static boolean close(double last, double before) {
        return before > 0 && Math.abs(last - before) <= TOLERANCE * before;
    }

    /** Whether to run another slice. */
    static boolean another(List<Slice> slices, int minSlices) {
        return slices.size() < MAX_SLICES && !settled(slices, minSlices);
    }
}
