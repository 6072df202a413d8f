package io.updraft.rollout.domain.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.SemVer;
import io.updraft.rollout.domain.filter.Filter.Literal;
import io.updraft.rollout.domain.filter.Filter.Operator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterParserTest {
    private static final Map<String, String> GW200_EU = Map.of("model", "gw-200", "revision", "1.0", "region", "eu",
            "memory", "512", "site", "lab 3");

    @Test
    void given_the_issue_example_then_it_parses_into_the_expected_tree() {
        Filter filter = FilterParser.parse("model == \"gw-200\" and version < \"2.0.0\" and region in (\"eu\",\"us\")");

        assertThat(filter).isEqualTo(new Filter.And(
                new Filter.And(new Filter.Comparison("model", Operator.EQ, new Literal("gw-200", false)),
                        new Filter.Comparison("version", Operator.LT, new Literal("2.0.0", false))),
                new Filter.Membership("region", false, List.of(new Literal("eu", false), new Literal("us", false)))));
    }

    @Test
    void given_and_and_or_then_and_binds_tighter_and_parentheses_override() {
        assertThat(FilterParser.parse("a == 1 or b == 2 and c == 3")).isInstanceOf(Filter.Or.class);
        assertThat(FilterParser.parse("(a == 1 or b == 2) and c == 3")).isInstanceOf(Filter.And.class);
        assertThat(FilterParser.parse("NOT a == 1 AND b Not In (1)")).isInstanceOf(Filter.And.class);
    }

    /** filter; expected for model gw-200 rev 1.0, region eu, memory 512, site "lab 3", installed 1.4.2 */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "model == \"gw-200\" and version < \"2.0.0\" and region in (\"eu\",\"us\") | true",
            "model == \"gw-100\" | false",
            "model != \"gw-100\" | true",
            "model != \"gw-200\" | false",
            "not model == \"gw-200\" | false",
            "not (model == \"gw-100\" or region == \"us\") | true",
            "version < \"2.0.0\" | true",
            "version <= \"1.4.2\" | true",
            "version >= \"1.4.2+build.9\" | true",
            "version > \"1.4.2\" | false",
            "version > \"1.4.2-rc.1\" | true",
            "version == \"1.4.2\" | true",
            "version != \"1.4.2\" | false",
            "version in (\"1.0.0\", \"1.4.2\") | true",
            "version not in (\"1.0.0\", \"1.4.2\") | false",
            "region not in (\"us\", \"apac\") | true",
            "region in (\"us\") | false",
            "memory > 100 | true",
            "memory > \"100\" | true",
            "memory == 512.0 | true",
            "memory < 1024 | true",
            "memory >= -1 | true",
            "revision >= 1 | true",
            "revision == 1 | true",
            "site > \"lab\" | true",
            "site == \"lab 3\" | true",
            "region < \"fr\" | true",
            "region > 5 | true",
            "missing == \"x\" | false",
            "missing != \"x\" | false",
            "missing not in (\"x\") | false",
            "not missing == \"x\" | true",
            "missing == \"x\" or region == \"eu\" | true",
            "((((region == \"eu\")))) | true" })
    void given_a_device_then_the_filter_evaluates_as_documented(String filter, boolean expected) {
        assertThat(FilterParser.parse(filter).matches(GW200_EU, "1.4.2")).isEqualTo(expected);
    }

    @Test
    void given_numbers_on_both_sides_then_they_compare_numerically_otherwise_as_strings() {
        Filter tenOrMore = FilterParser.parse("cores >= 10");
        assertThat(tenOrMore.matches(Map.of("cores", "9"), null)).isFalse();
        assertThat(tenOrMore.matches(Map.of("cores", "12"), null)).isTrue();
        // "x9" is not a number: compared as text with "10"
        assertThat(tenOrMore.matches(Map.of("cores", "x9"), null)).isTrue();
        assertThat(FilterParser.parse("cores < \"10\"").matches(Map.of("cores", "9"), null)).isTrue();
        assertThat(FilterParser.parse("name < \"b\"").matches(Map.of("name", "B"), null)).isTrue();
    }

    @Test
    void given_a_device_without_a_semver_version_then_version_comparisons_fail() {
        Filter older = FilterParser.parse("version < \"2.0.0\"");
        assertThat(older.matches(Map.of(), null)).isFalse();
        assertThat(older.matches(Map.of(), "1.0")).isFalse();
        assertThat(FilterParser.parse("not version < \"2.0.0\"").matches(Map.of(), null)).isTrue();
        assertThat(older.matches(Map.of(), "2.0.0-beta")).isTrue();
    }

    @Test
    void given_escapes_in_strings_then_they_are_read() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("label", "say \"hi\" \\o/");
        assertThat(FilterParser.parse("label == \"say \\\"hi\\\" \\\\o/\"").matches(attributes, null)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "'' | 1 | expected a condition",
            "'   ' | 1 | expected a condition",
            "'model' | 6 | expected a comparison (== != < <= > >=), 'in' or 'not in' after model, found the end",
            "'model ==' | 9 | expected a value: a \"string\" or a number, found the end of the filter",
            "'model = \"x\"' | 7 | expected '=='",
            "'model == gw' | 10 | expected a value: a \"string\" or a number, found 'gw'",
            "'model == \"gw' | 10 | the string is not closed",
            "'model == \"x\" and' | 17 | expected an attribute name, 'not' or '(', found the end of the filter",
            "'model == \"x\" region == \"eu\"' | 14 | expected 'and', 'or' or the end of the filter, found 'region'",
            "'(model == \"x\"' | 14 | expected ')' or 'and' / 'or', found the end of the filter",
            "'model == \"x\")' | 13 | expected 'and', 'or' or the end of the filter, found ')'",
            "'region in \"eu\"' | 11 | expected '(' to open the list, found \"eu\"",
            "'region in ()' | 12 | expected a value",
            "'region in (\"eu\" \"us\")' | 17 | expected ',' or ')' to close the list, found \"us\"",
            "'region not (\"eu\")' | 12 | expected 'in' after 'not', found '('",
            "'version < \"2.0\"' | 11 | expected a SemVer 2.0 version",
            "'version < 2' | 11 | expected a SemVer 2.0 version",
            "'version < 2.0.0' | 14 | write versions and other text as strings",
            "'model == \"x\" && a == 1' | 14 | unexpected character '&'",
            "'== \"x\"' | 1 | expected an attribute name, 'not' or '(', found '=='",
            "'a == 1.' | 8 | expected a digit after the decimal point",
            "'a == \"x\\n\"' | 8 | expected \\\" or \\\\ after a backslash" })
    void given_bad_syntax_then_the_error_names_the_position_and_what_was_expected(String filter, int position,
            String message) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
                    assertThat(e.getMessage()).startsWith("filter is invalid at position " + position + ": ")
                            .contains(message);
                });
    }

    @Test
    void given_absurd_nesting_or_length_then_it_is_refused_not_a_stack_overflow() {
        assertThatThrownBy(() -> FilterParser.parse("(".repeat(5000) + "a == 1" + ")".repeat(5000)))
                .isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> FilterParser.parse("not ".repeat(100) + "a == 1"))
                .isInstanceOf(FilterSyntaxException.class).hasMessageContaining("nested");
    }
}
