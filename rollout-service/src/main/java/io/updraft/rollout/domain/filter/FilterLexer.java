package io.updraft.rollout.domain.filter;

import java.util.ArrayList;
import java.util.List;

/** Splits a filter into tokens; positions are 1-based character offsets, as error messages show them. */
final class FilterLexer {
    enum Kind {
        NAME, STRING, NUMBER, OPERATOR, LEFT, RIGHT, COMMA, AND, OR, NOT, IN, END
    }

    record Token(Kind kind, String text, int position) {
        String describe() {
            return switch (kind) {
                case END -> "the end of the filter";
                case STRING -> "\"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private final String source;
    private int index;

    private FilterLexer(String source) {
        this.source = source;
    }

    static List<Token> tokens(String source) {
        return new FilterLexer(source).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (index < source.length() && Character.isWhitespace(source.charAt(index))) {
                index++;
            }
            if (index == source.length()) {
                tokens.add(new Token(Kind.END, "", index + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = index;
        char c = source.charAt(index);
        switch (c) {
            case '(' -> {
                index++;
                return new Token(Kind.LEFT, "(", start + 1);
            }
            case ')' -> {
                index++;
                return new Token(Kind.RIGHT, ")", start + 1);
            }
            case ',' -> {
                index++;
                return new Token(Kind.COMMA, ",", start + 1);
            }
            case '"' -> {
                return string();
            }
            case '=', '!', '<', '>' -> {
                return operator();
            }
            default -> {
                if (c == '-' || isDigit(c)) {
                    return number();
                }
                if (Character.isLetter(c) || c == '_') {
                    return word();
                }
                throw new FilterSyntaxException(start + 1, "unexpected character '" + c + "'");
            }
        }
    }

    private Token string() {
        int start = index++;
        StringBuilder text = new StringBuilder();
        while (index < source.length()) {
            char c = source.charAt(index++);
            if (c == '"') {
                return new Token(Kind.STRING, text.toString(), start + 1);
            }
            if (c == '\\') {
                if (index == source.length()) {
                    break;
                }
                char escaped = source.charAt(index++);
                if (escaped != '"' && escaped != '\\') {
                    throw new FilterSyntaxException(index - 1, "expected \\\" or \\\\ after a backslash");
                }
                text.append(escaped);
            } else {
                text.append(c);
            }
        }
        throw new FilterSyntaxException(start + 1, "the string is not closed: expected '\"'");
    }

    private Token operator() {
        int start = index;
        char c = source.charAt(index++);
        boolean equalsFollows = index < source.length() && source.charAt(index) == '=';
        if (equalsFollows) {
            index++;
            return new Token(Kind.OPERATOR, c + "=", start + 1);
        }
        if (c == '<' || c == '>') {
            return new Token(Kind.OPERATOR, String.valueOf(c), start + 1);
        }
        throw new FilterSyntaxException(start + 1, "expected '" + c + "=' (comparisons are == != < <= > >=)");
    }

    private Token number() {
        int start = index;
        if (source.charAt(index) == '-') {
            index++;
        }
        int digits = digits();
        if (digits == 0) {
            throw new FilterSyntaxException(index + 1, "expected a digit");
        }
        if (index < source.length() && source.charAt(index) == '.') {
            index++;
            if (digits() == 0) {
                throw new FilterSyntaxException(index + 1, "expected a digit after the decimal point"
                        + " (write versions as strings: \"2.0.0\")");
            }
        }
        if (index < source.length() && isNameChar(source.charAt(index))) {
            throw new FilterSyntaxException(index + 1, "expected a space, ',' or ')' after the number"
                    + " (write versions and other text as strings: \"2.0.0\")");
        }
        return new Token(Kind.NUMBER, source.substring(start, index), start + 1);
    }

    private int digits() {
        int count = 0;
        while (index < source.length() && isDigit(source.charAt(index))) {
            index++;
            count++;
        }
        return count;
    }

    private Token word() {
        int start = index;
        while (index < source.length() && isNameChar(source.charAt(index))) {
            index++;
        }
        String text = source.substring(start, index);
        Kind kind = switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "and" -> Kind.AND;
            case "or" -> Kind.OR;
            case "not" -> Kind.NOT;
            case "in" -> Kind.IN;
            default -> Kind.NAME;
        };
        return new Token(kind, text, start + 1);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Attribute names: letters, digits, '_', '-' and '.', starting with a letter or '_'. */
    static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }
}
