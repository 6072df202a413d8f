package io.updraft.support.validation;

import io.updraft.events.Identifiers;
import io.updraft.support.problem.ProblemException;
import java.time.Duration;

/**
 * The one check of what crosses an edge (REST body, path, query, DDI request): identifiers and text are bounded and
 * carry no NUL or control characters, durations stay inside documented bounds (counts have {@code @Min}/{@code @Max}).
 * Every failure is a {@link ProblemException} 400 naming the field, thrown before anything is changed.
 *
 * <p>An <em>identifier</em> (device controllerId, tenant, release and rollout ids, names used as keys) is 1 to
 * {@link #MAX_IDENTIFIER} characters of {@code A-Z a-z 0-9} and {@code . _ - ~ : @ +}, starting with a letter or digit:
 * what device serial numbers, MAC addresses, UUIDs and {@code name@version} ids use, and nothing that a path, a shell,
 * a log line or a database column could read differently ({@code / \ % ? #}, white space, NUL, control characters).
 */
public final class Inputs {
    /** The longest identifier anywhere (the {@code varchar(200)} columns that hold them). */
    public static final int MAX_IDENTIFIER = Identifiers.MAX_LENGTH;

    private Inputs() {
    }

    /** True if {@code value} is an identifier of at most {@code maxLength} characters (see the class comment). */
    public static boolean isIdentifier(String value, int maxLength) {
        return Identifiers.isIdentifier(value, maxLength);
    }

    public static boolean isIdentifier(String value) {
        return isIdentifier(value, MAX_IDENTIFIER);
    }

    /** True if {@code value} (may be null) has no control character (NUL, CR, LF, …) and at most maxLength chars. */
    public static boolean isLine(String value, int maxLength) {
        return value == null || value.length() <= maxLength && firstControl(value, false) < 0;
    }

    /** True if {@code value} (may be null) is text of at most maxLength chars whose only controls are tab, CR, LF. */
    public static boolean isText(String value, int maxLength) {
        return value == null || value.length() <= maxLength && firstControl(value, true) < 0;
    }

    /** A one-line value (name, label, attribute): null passes; a control character or over-length value is a 400. */
    public static String line(String field, String value, int maxLength) {
        if (!isLine(value, maxLength)) {
            throw ProblemException.badRequest(field + " must be at most " + maxLength
                    + " characters on one line, with no control characters");
        }
        return value;
    }

    /** Multi-line text (notes, reasons): null passes; NUL and other control characters but tab/CR/LF are a 400. */
    public static String text(String field, String value, int maxLength) {
        if (!isText(value, maxLength)) {
            throw ProblemException.badRequest(field + " must be at most " + maxLength
                    + " characters, with no control characters but tab and line breaks");
        }
        return value;
    }

    /** {@code value} if it lies in [min, max] (null passes), else a 400 that names the bounds. */
    public static Duration duration(String field, Duration value, Duration min, Duration max) {
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            throw ProblemException.badRequest(field + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** Index of the first control character (C0, DEL, C1, and lone surrogates), or -1. */
    private static int firstControl(String value, boolean lineBreaksAllowed) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r')) {
                continue;
            }
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!pair) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }
}
