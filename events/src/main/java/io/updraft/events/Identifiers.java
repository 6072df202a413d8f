package io.updraft.events;

/**
 * What an identifier is, everywhere in Updraft (device controllerIds, tenants, release, rollout and event ids, record
 * keys): 1 to {@code maxLength} characters of {@code A-Z a-z 0-9} and {@code . _ - ~ : @ +}, starting with a letter
 * or digit. Here, with no dependency, so event readers check record keys the same way the services' edges check what
 * they let in ({@code io.updraft.support.validation.Inputs} delegates to it).
 */
public final class Identifiers {
    /** The longest identifier anywhere (the {@code varchar(200)} columns that hold them). */
    public static final int MAX_LENGTH = 200;

    private Identifiers() {
    }

    public static boolean isIdentifier(String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            return false;
        }
        char first = value.charAt(0);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first >= '0' && first <= '9')) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-' || c == '~' || c == ':' || c == '@' || c == '+';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
