package io.updraft.events;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0.0, the one implementation every service uses: the official regular expression from
 * semver.org, nothing looser, and its precedence rules (§11): numeric core, a pre-release ranks below its release,
 * pre-release identifiers compared one by one (numeric ones numerically and below alphanumeric ones), build metadata
 * ignored.
 *
 * <p>{@link #sortKey()} writes that precedence as text that sorts bytewise in the same order, the key rollout-service's
 * PostgreSQL function {@code updraft_version_key} computes into {@code device.version_key} (its V30 migration
 * describes the encoding; a test compares the two).
 */
public record SemVer(String major, String minor, String patch, List<String> preRelease, String build)
        implements Comparable<SemVer> {
    public static final String REGEX = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";
    private static final Pattern PATTERN = Pattern.compile(REGEX);
    private static final Pattern NUMERIC = Pattern.compile("\\d+");
    /** The sort key writes a number's length in two digits. */
    private static final int MAX_KEY_DIGITS = 99;

    public SemVer {
        preRelease = List.copyOf(preRelease);
    }

    public static boolean isValid(String version) {
        return version != null && PATTERN.matcher(version).matches();
    }

    /** @throws IllegalArgumentException when {@code version} is not SemVer 2.0 */
    public static SemVer parse(String version) {
        Matcher m = version == null ? null : PATTERN.matcher(version);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a SemVer 2.0 version: " + version);
        }
        List<String> pre = m.group(4) == null ? List.of() : Arrays.asList(m.group(4).split("\\."));
        return new SemVer(m.group(1), m.group(2), m.group(3), pre, m.group(5));
    }

    /**
     * The precedence key of {@code version}, or null if it is not SemVer 2.0 or has a number of more than 99 digits
     * (which the key cannot encode).
     */
    public static String sortKey(String version) {
        return isValid(version) ? parse(version).sortKey() : null;
    }

    /** Negative, zero or positive as {@code a} has lower, equal or higher precedence than {@code b} (both valid). */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Bytewise-sortable precedence key; null when a number has more than 99 digits. */
    public String sortKey() {
        StringBuilder key = new StringBuilder();
        if (!appendNumber(key, major) || !appendNumber(key, minor) || !appendNumber(key, patch)) {
            return null;
        }
        if (preRelease.isEmpty()) {
            return key.append('~').toString();
        }
        key.append('-');
        for (String identifier : preRelease) {
            if (NUMERIC.matcher(identifier).matches()) {
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

    @Override
    public int compareTo(SemVer other) {
        int c = compareNumbers(major, other.major);
        if (c == 0) {
            c = compareNumbers(minor, other.minor);
        }
        if (c == 0) {
            c = compareNumbers(patch, other.patch);
        }
        return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
    }

    /** Equal precedence (build metadata does not count), unlike {@link #equals}. */
    public boolean samePrecedence(SemVer other) {
        return compareTo(other) == 0;
    }

    private static boolean appendNumber(StringBuilder key, String digits) {
        if (digits.length() > MAX_KEY_DIGITS) {
            return false;
        }
        key.append(digits.length() < 10 ? "0" : "").append(digits.length()).append(digits);
        return true;
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            // a release outranks any of its pre-releases
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifiers(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean numericA = NUMERIC.matcher(a).matches();
        boolean numericB = NUMERIC.matcher(b).matches();
        if (numericA && numericB) {
            return compareNumbers(a, b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b)); // ASCII order: the regex allows only ASCII here
    }

    /** Digits without leading zeros, of any length: longer is larger, else compare digit by digit. */
    private static int compareNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : Integer.signum(a.compareTo(b));
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
                + (build == null ? "" : "+" + build);
    }
}
