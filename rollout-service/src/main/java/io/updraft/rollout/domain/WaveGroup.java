package io.updraft.rollout.domain;

import io.updraft.rollout.domain.filter.Filter;

/**
 * An explicit wave group (hawkBit's rollout group): it takes its share of the devices of the target set that match
 * {@code filter} (null: every device) and that no earlier group took.
 *
 * @param filterText the filter as the operator wrote it (null: none), kept for the views
 */
public record WaveGroup(String name, String filterText, Filter filter) {
    public static final int MAX_NAME_LENGTH = 100;

    public WaveGroup {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a group needs a name of 1.." + MAX_NAME_LENGTH + " characters");
        }
        if ((filterText == null) != (filter == null)) {
            throw new IllegalArgumentException("a group's filter text and parsed filter go together");
        }
    }

    /** Whether the device matches the group's filter (the Java reference of the SQL condition). */
    public boolean matches(java.util.Map<String, String> attributes, String installedVersion) {
        return filter == null || filter.matches(attributes, installedVersion);
    }
}
