package io.updraft.release.domain;

import java.util.regex.Pattern;

/** Semantic Versioning 2.0.0: the official regular expression from semver.org, nothing looser. */
public final class SemVer {
    public static final String REGEX = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private SemVer() {
    }

    public static boolean isValid(String version) {
        return version != null && PATTERN.matcher(version).matches();
    }
}
