package io.updraft.rollout.persistence;

import io.updraft.events.SemVer;
import io.updraft.rollout.domain.filter.Filter;
import io.updraft.rollout.domain.filter.Filter.Literal;
import io.updraft.rollout.domain.filter.Filter.Operator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Translates a {@link Filter} into a boolean SQL condition over the inventory table (alias {@code d}), so target
 * selection stays one set-based statement at a million devices. Every value is a bound parameter ({@code bind}
 * returns its placeholder). Each comparison is wrapped in {@code coalesce(…, false)}, so a missing attribute fails
 * the comparison exactly as {@link Filter#matches} says, whatever {@code not} surrounds it.
 *
 * <ul>
 * <li>{@code version} compares the stored SemVer key {@code d.version_key} (indexed) with the literal's key;</li>
 * <li>{@code model} and {@code revision} use their indexed columns, other names {@code d.attributes ->> name};</li>
 * <li>equality with a non-numeric value is JSONB containment ({@code @>}, served by the GIN index);</li>
 * <li>a numeric literal compares numerically where the device's value is a number, as text otherwise.</li>
 * </ul>
 */
public final class FilterSql {
    /** -?[0-9]+(\.[0-9]+)? without '?' or braces, which a JPA native query would take for parameters or escapes */
    private static final String NUMERIC = "'^-[0-9]+$|^-[0-9]+[.][0-9]+$|^[0-9]+$|^[0-9]+[.][0-9]+$'";
    private static final Map<String, String> COLUMNS = Map.of("model", "d.model", "revision", "d.revision");

    private final Function<Object, String> bind;

    private FilterSql(Function<Object, String> bind) {
        this.bind = bind;
    }

    /** @param bind adds a parameter value and returns its placeholder (e.g. {@code ?5}) */
    public static String condition(Filter filter, Function<Object, String> bind) {
        return new FilterSql(bind).sql(filter);
    }

    private String sql(Filter filter) {
        if (filter instanceof Filter.And and) {
            return "(" + sql(and.left()) + " and " + sql(and.right()) + ")";
        }
        if (filter instanceof Filter.Or or) {
            return "(" + sql(or.left()) + " or " + sql(or.right()) + ")";
        }
        if (filter instanceof Filter.Not not) {
            return "(not " + sql(not.inner()) + ")";
        }
        if (filter instanceof Filter.Comparison comparison) {
            return "coalesce(" + comparison(comparison.name(), comparison.operator(), comparison.value()) + ", false)";
        }
        Filter.Membership membership = (Filter.Membership) filter;
        List<String> equalities = membership.values().stream()
                .map(value -> comparison(membership.name(), Operator.EQ, value)).toList();
        String member = "(" + String.join(" or ", equalities) + ")";
        String present = Filter.VERSION.equals(membership.name()) ? "d.version_key is not null"
                : value(membership.name()) + " is not null";
        return "coalesce(" + present + " and " + (membership.negated() ? "not " : "") + member + ", false)";
    }

    private String comparison(String name, Operator operator, Literal literal) {
        String sqlOperator = operator == Operator.EQ ? "=" : operator == Operator.NE ? "<>" : operator.symbol;
        if (Filter.VERSION.equals(name)) {
            return "d.version_key " + sqlOperator + " (cast(" + bind.apply(SemVer.sortKey(literal.text()))
                    + " as text) collate \"C\")";
        }
        if (!literal.numeric()) {
            if (operator == Operator.EQ && !COLUMNS.containsKey(name)) {
                return "d.attributes @> cast(" + bind.apply(io.updraft.rollout.domain.JsonColumns.write(
                        Map.of(name, literal.text()))) + " as jsonb)";
            }
            return "(" + value(name) + " collate \"C\") " + sqlOperator + " cast(" + bind.apply(literal.text())
                    + " as text)";
        }
        String value = value(name);
        String text = bind.apply(literal.text());
        return "(case when " + value + " ~ " + NUMERIC + " then cast(" + value + " as numeric) " + sqlOperator
                + " cast(" + text + " as numeric) else (" + value + " collate \"C\") " + sqlOperator + " cast(" + text
                + " as text) end)";
    }

    private String value(String name) {
        String column = COLUMNS.get(name);
        return column != null ? column : "(d.attributes ->> cast(" + bind.apply(name) + " as text))";
    }
}
