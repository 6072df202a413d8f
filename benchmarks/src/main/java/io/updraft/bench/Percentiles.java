package io.updraft.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample (the value below which p % of the observations fall, never interpolated). */
public final class Percentiles {
    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(double... values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    public static Percentiles of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    public int count() {
        return sorted.length;
    }

    /**
     * @param p in 0..100; 0 is the minimum, 100 the maximum
     * @throws IllegalStateException on an empty sample (there is no percentile to report)
     */
    public double at(double p) {
        if (p < 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("percentile must be within 0..100, was " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalStateException("no observations");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double max() {
        return at(100);
    }
}
