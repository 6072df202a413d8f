package io.updraft.rollout.filter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SemVer 2.0 precedence, as a key that sorts bytewise in precedence order — the same key PostgreSQL's
 * {@code updraft_version_key} computes into {@code device.version_key} (see the V30 migration for the encoding).
 */
public final class SemVer {
    private static final String NUMBER = "0|[1-9][0-9]*";
    private static final String IDENTIFIER = "(?:" + NUMBER + "|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern VERSION = Pattern.compile("(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")"
            + "(?:-(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final int MAX_DIGITS = 99;

    private SemVer() {
    }

    public static boolean isValid(String version) {
        return sortKey(version) != null;
    }

    /** @return the precedence key, or null if {@code version} is not a SemVer 2.0 version */
    public static String sortKey(String version) {
        if (version == null) {
            return null;
        }
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int group = 1; group <= 3; group++) {
            if (!appendNumber(key, matcher.group(group))) {
                return null;
            }
        }
        String preRelease = matcher.group(4);
        if (preRelease == null) {
            return key.append('~').toString();
        }
        key.append('-');
        for (String identifier : preRelease.split("\\.")) {
            if (DIGITS.matcher(identifier).matches()) {
                key.append('1');
                if (!appendNumber(key, identifier)) {
                    return null;
                }
            } else {
                key.append('2').append(identifier).append(' ');
            }
        }
        return key.append('!').toString();
    }

    /** Negative, zero or positive as {@code a} has lower, equal or higher precedence than {@code b} (both valid). */
    public static int compare(String a, String b) {
        return sortKey(a).compareTo(sortKey(b));
    }

    private static boolean appendNumber(StringBuilder key, String digits) {
        if (digits.length() > MAX_DIGITS) {
            return false;
        }
        key.append(digits.length() < 10 ? "0" : "").append(digits.length()).append(digits);
        return true;
    }
}
