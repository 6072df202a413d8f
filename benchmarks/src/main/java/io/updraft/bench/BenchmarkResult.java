package io.updraft.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark of the suite produced: its figures, and — when it failed — why. A failed benchmark keeps the
 * figures it did measure before failing; it never gets invented ones.
 */
public record BenchmarkResult(String name, String description, boolean passed, String error, double seconds,
        List<Figure> figures) {

    public BenchmarkResult {
        figures = List.copyOf(figures);
    }

    public static BenchmarkResult ok(String name, String description, double seconds, List<Figure> figures) {
        return new BenchmarkResult(name, description, true, null, seconds, figures);
    }

    public static BenchmarkResult failed(String name, String description, double seconds, String error,
            List<Figure> measuredSoFar) {
        return new BenchmarkResult(name, description, false, error, seconds, measuredSoFar);
    }

    /** Collects figures while a benchmark runs, so a failure half-way still reports what was measured. */
    public static final class Figures {
        private final List<Figure> figures = new ArrayList<>();

        public synchronized Figure add(Figure figure) {
            figures.add(figure);
            return figure;
        }

        public synchronized List<Figure> list() {
            return List.copyOf(figures);
        }
    }
}
