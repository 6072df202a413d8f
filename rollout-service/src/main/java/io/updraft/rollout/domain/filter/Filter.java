package io.updraft.rollout.domain.filter;

import io.updraft.events.SemVer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed target filter (see {@link FilterParser} for the grammar). {@code version} is the device's installed
 * version and compares by SemVer precedence; every other name is a device attribute ({@code model} and
 * {@code revision} included) and compares as a number when both sides are numbers, as a string (by code point)
 * otherwise. A device without the attribute (or whose version is not SemVer) fails every comparison on it —
 * {@code !=} and {@code not in} included; {@code not (…)} negates what is inside.
 */
public sealed interface Filter {
    String VERSION = "version";

    /** Evaluates the filter for one device — the reference the SQL translation ({@link FilterSql}) must agree with. */
    boolean matches(Map<String, String> attributes, String installedVersion);

    record And(Filter left, Filter right) implements Filter {
        @Override
        public boolean matches(Map<String, String> attributes, String installedVersion) {
            return left.matches(attributes, installedVersion) && right.matches(attributes, installedVersion);
        }
    }

    record Or(Filter left, Filter right) implements Filter {
        @Override
        public boolean matches(Map<String, String> attributes, String installedVersion) {
            return left.matches(attributes, installedVersion) || right.matches(attributes, installedVersion);
        }
    }

    record Not(Filter inner) implements Filter {
        @Override
        public boolean matches(Map<String, String> attributes, String installedVersion) {
            return !inner.matches(attributes, installedVersion);
        }
    }

    enum Operator {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        public final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    /** A literal as written: its text, and whether it was written as a number (it compares the same either way). */
    record Literal(String text, boolean number) {
        private static final Pattern NUMERIC = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

        public boolean numeric() {
            return isNumeric(text);
        }

        static boolean isNumeric(String text) {
            return text != null && NUMERIC.matcher(text).matches();
        }
    }

    record Comparison(String name, Operator operator, Literal value) implements Filter {
        @Override
        public boolean matches(Map<String, String> attributes, String installedVersion) {
            if (VERSION.equals(name)) {
                String device = SemVer.sortKey(installedVersion);
                String wanted = SemVer.sortKey(value.text());
                return device != null && wanted != null && operator.holds(device.compareTo(wanted));
            }
            String actual = attributes.get(name);
            return actual != null && operator.holds(compareAttribute(actual, value.text()));
        }

        static int compareAttribute(String actual, String literal) {
            if (Literal.isNumeric(actual) && Literal.isNumeric(literal)) {
                return new BigDecimal(actual).compareTo(new BigDecimal(literal));
            }
            return actual.compareTo(literal);
        }
    }

    /** {@code name in (…)}, or {@code name not in (…)} when {@code negated}. */
    record Membership(String name, boolean negated, List<Literal> values) implements Filter {
        public Membership {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, String> attributes, String installedVersion) {
            boolean present = VERSION.equals(name) ? SemVer.sortKey(installedVersion) != null
                    : attributes.get(name) != null;
            if (!present) {
                return false;
            }
            boolean member = values.stream().anyMatch(
                    value -> new Comparison(name, Operator.EQ, value).matches(attributes, installedVersion));
            return member != negated;
        }
    }
}
