package io.updraft.rollout.domain.filter;

import io.updraft.events.SemVer;
import io.updraft.rollout.domain.filter.Filter.Literal;
import io.updraft.rollout.domain.filter.Filter.Operator;
import io.updraft.rollout.domain.filter.FilterLexer.Kind;
import io.updraft.rollout.domain.filter.FilterLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over the filter grammar ({@code and} binds tighter than {@code or}; keywords in any case):
 *
 * <pre>
 * filter     = or END
 * or         = and { "or" and }
 * and        = unary { "and" unary }
 * unary      = "not" unary | "(" or ")" | comparison
 * comparison = NAME ( ("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") literal | ["not"] "in" "(" literal { "," literal } ")" )
 * literal    = STRING | NUMBER
 * </pre>
 *
 * A {@code version} comparison needs SemVer literals. Errors name the 1-based position and what was expected.
 */
public final class FilterParser {
    public static final int MAX_LENGTH = 4000;
    private static final int MAX_DEPTH = 50;

    private final List<Token> tokens;
    private int next;
    private int depth;

    private FilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Filter parse(String source) {
        if (source == null || source.isBlank()) {
            throw new FilterSyntaxException(1, "expected a condition such as model == \"gw-200\", found an empty filter");
        }
        if (source.length() > MAX_LENGTH) {
            throw new FilterSyntaxException(MAX_LENGTH + 1, "expected at most " + MAX_LENGTH + " characters");
        }
        FilterParser parser = new FilterParser(FilterLexer.tokens(source));
        Filter filter = parser.or();
        parser.expect(Kind.END, "'and', 'or' or the end of the filter");
        return filter;
    }

    private Filter or() {
        Filter left = and();
        while (peek().kind() == Kind.OR) {
            next++;
            left = new Filter.Or(left, and());
        }
        return left;
    }

    private Filter and() {
        Filter left = unary();
        while (peek().kind() == Kind.AND) {
            next++;
            left = new Filter.And(left, unary());
        }
        return left;
    }

    private Filter unary() {
        Token token = peek();
        if (++depth > MAX_DEPTH) {
            throw new FilterSyntaxException(token.position(), "expected at most " + MAX_DEPTH + " nested levels");
        }
        try {
            if (token.kind() == Kind.NOT) {
                next++;
                return new Filter.Not(unary());
            }
            if (token.kind() == Kind.LEFT) {
                next++;
                Filter inner = or();
                expect(Kind.RIGHT, "')' or 'and' / 'or'");
                return inner;
            }
            if (token.kind() == Kind.NAME) {
                return comparison();
            }
            throw unexpected(token, "an attribute name, 'not' or '('");
        } finally {
            depth--;
        }
    }

    private Filter comparison() {
        Token name = tokens.get(next++);
        Token token = peek();
        if (token.kind() == Kind.OPERATOR) {
            next++;
            Operator operator = operator(token.text());
            return new Filter.Comparison(name.text(), operator, literal(name));
        }
        boolean negated = false;
        if (token.kind() == Kind.NOT) {
            next++;
            negated = true;
            expect(Kind.IN, "'in' after 'not'");
        } else if (token.kind() == Kind.IN) {
            next++;
        } else {
            throw unexpected(token, "a comparison (== != < <= > >=), 'in' or 'not in' after " + name.text());
        }
        expect(Kind.LEFT, "'(' to open the list");
        List<Literal> values = new ArrayList<>();
        values.add(literal(name));
        while (peek().kind() == Kind.COMMA) {
            next++;
            values.add(literal(name));
        }
        expect(Kind.RIGHT, "',' or ')' to close the list");
        return new Filter.Membership(name.text(), negated, values);
    }

    private Literal literal(Token name) {
        Token token = peek();
        if (token.kind() != Kind.STRING && token.kind() != Kind.NUMBER) {
            throw unexpected(token, "a value: a \"string\" or a number");
        }
        next++;
        if (Filter.VERSION.equals(name.text()) && SemVer.sortKey(token.text()) == null) {
            throw new FilterSyntaxException(token.position(), "expected a SemVer 2.0 version such as \"2.0.0\" or"
                    + " \"2.1.0-rc.1\" to compare version with, found " + token.describe());
        }
        return new Literal(token.text(), token.kind() == Kind.NUMBER);
    }

    private static Operator operator(String symbol) {
        for (Operator operator : Operator.values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        throw new IllegalStateException(symbol);
    }

    private void expect(Kind kind, String expected) {
        Token token = peek();
        if (token.kind() != kind) {
            throw unexpected(token, expected);
        }
        next++;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private static FilterSyntaxException unexpected(Token token, String expected) {
        return new FilterSyntaxException(token.position(), "expected " + expected + ", found " + token.describe());
    }
}
