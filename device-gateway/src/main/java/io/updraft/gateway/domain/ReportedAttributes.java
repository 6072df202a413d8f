package io.updraft.gateway.domain;

import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Inputs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device may report as its attributes (configData): as in hawkBit, string keys to string values, each one
 * line with no control characters, bounded in length and number. Every event carries the device's whole attribute
 * set and the rollout-service stores it, so whatever passes here must be storable there (a NUL once was not).
 */
public final class ReportedAttributes {
    /** Attributes a device may have in all, and report at once. */
    public static final int MAX_COUNT = 100;
    public static final int MAX_KEY_LENGTH = 128;
    /** As hawkBit's attribute values. */
    public static final int MAX_VALUE_LENGTH = 1024;

    private ReportedAttributes() {
    }

    /**
     * The reported {@code data} as strings, in their order.
     *
     * @throws ProblemException 400 for a value that is not a string (number, boolean, object, array, null), a key or
     *         value too long or with a control character, an empty key, or more than {@link #MAX_COUNT} entries
     */
    public static Map<String, String> of(Map<String, ?> data) {
        if (data == null) {
            return Map.of();
        }
        if (data.size() > MAX_COUNT) {
            throw ProblemException.badRequest("data may hold at most " + MAX_COUNT + " attributes");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        data.forEach((key, value) -> {
            if (key == null || key.isEmpty() || !Inputs.isLine(key, MAX_KEY_LENGTH)) {
                throw ProblemException.badRequest("attribute names must be 1-" + MAX_KEY_LENGTH
                        + " characters on one line, with no control characters");
            }
            if (!(value instanceof String text)) {
                throw ProblemException.badRequest("attribute '" + key + "' must be a string, as in hawkBit");
            }
            attributes.put(key, Inputs.line("attribute '" + key + "'", text, MAX_VALUE_LENGTH));
        });
        return attributes;
    }

    /** {@code attributes} if a device may hold them all, else a 400 (a merge must not grow a device without bound). */
    public static Map<String, String> bounded(Map<String, String> attributes) {
        if (attributes.size() > MAX_COUNT) {
            throw ProblemException.badRequest("a device may hold at most " + MAX_COUNT + " attributes; this report"
                    + " would leave it " + attributes.size());
        }
        return attributes;
    }
}
