package io.updraft.bench;

import java.util.Locale;

/**
 * One measured figure: its value and unit, the baseline it is compared with (measured in the same run), and the
 * target it should meet. A figure that could not be measured has no value — it is never invented.
 *
 * @param baselineName what the baseline is ("raw KafkaProducer, acks=all"), null without a baseline
 * @param note how it was measured, or why it is missing
 */
public record Figure(String name, Double value, String unit, Double baseline, String baselineName, Target target,
        String note) {

    public static Figure of(String name, double value, String unit) {
        return new Figure(name, value, unit, null, null, null, null);
    }

    /** A figure that could not be measured, and why. */
    public static Figure missing(String name, String unit, String why) {
        return new Figure(name, null, unit, null, null, null, why);
    }

    public Figure against(double baselineValue, String what) {
        return new Figure(name, value, unit, baselineValue, what, target, note);
    }

    public Figure target(Target goal) {
        return new Figure(name, value, unit, baseline, baselineName, goal, note);
    }

    public Figure note(String text) {
        return new Figure(name, value, unit, baseline, baselineName, target, text);
    }

    /** value / baseline (a fraction: 0.45 = 45 %), or null when either is missing or the baseline is 0. */
    public Double ratio() {
        if (value == null || baseline == null || baseline == 0 || !Double.isFinite(value) || !Double.isFinite(baseline)) {
            return null;
        }
        return value / baseline;
    }

    /** Whether the target is met; null when there is no target, or nothing to judge it on. */
    public Boolean met() {
        return target == null ? null : target.judge(this);
    }

    /** A goal for a figure: on its value, or on its ratio to the baseline (in percent). */
    public record Target(Basis basis, Comparison comparison, double limit) {
        public enum Basis { VALUE, RATIO }

        public enum Comparison {
            AT_LEAST(">="), AT_MOST("<=");

            private final String symbol;

            Comparison(String symbol) {
                this.symbol = symbol;
            }

            boolean holds(double actual, double limit) {
                return this == AT_LEAST ? actual >= limit : actual <= limit;
            }
        }

        public static Target atLeast(double limit) {
            return new Target(Basis.VALUE, Comparison.AT_LEAST, limit);
        }

        public static Target atMost(double limit) {
            return new Target(Basis.VALUE, Comparison.AT_MOST, limit);
        }

        /** At least {@code percent} % of the baseline. */
        public static Target ratioAtLeast(double percent) {
            return new Target(Basis.RATIO, Comparison.AT_LEAST, percent);
        }

        Boolean judge(Figure figure) {
            Double actual = basis == Basis.VALUE ? figure.value() : figure.ratio() == null ? null : 100 * figure.ratio();
            return actual == null ? null : comparison.holds(actual, limit);
        }

        /** e.g. {@code >= 100,000 commands/s} or {@code >= 30 % of baseline}. */
        public String describe(String unit) {
            return basis == Basis.VALUE ? comparison.symbol + " " + Numbers.format(limit) + " " + unit
                    : comparison.symbol + " " + Numbers.format(limit) + " % of baseline";
        }
    }

    /** How figures are printed: thousands separators, as many decimals as the size calls for. */
    public static final class Numbers {
        private Numbers() {
        }

        public static String format(Double value) {
            if (value == null) {
                return "—";
            }
            double abs = Math.abs(value);
            if (abs >= 100 || value == Math.rint(value)) {
                return String.format(Locale.ROOT, "%,.0f", value);
            }
            return String.format(Locale.ROOT, abs >= 10 ? "%.1f" : "%.2f", value);
        }

        public static String percent(Double fraction) {
            return fraction == null ? "—" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
        }
    }
}
