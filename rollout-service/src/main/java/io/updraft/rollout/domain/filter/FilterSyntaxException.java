package io.updraft.rollout.domain.filter;

/** A filter that does not parse: where (1-based character position) and what was expected there. */
public class FilterSyntaxException extends IllegalArgumentException {
    private final int position;

    public FilterSyntaxException(int position, String message) {
        super("filter is invalid at position " + position + ": " + message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
