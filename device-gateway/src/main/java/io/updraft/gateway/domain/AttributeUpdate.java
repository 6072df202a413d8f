package io.updraft.gateway.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** DDI configData modes: how reported attributes combine with the stored ones. */
public enum AttributeUpdate {
    MERGE, REPLACE, REMOVE;

    /** Missing mode means merge, as in hawkBit. */
    public static Optional<AttributeUpdate> parse(String mode) {
        if (mode == null || mode.isBlank()) {
            return Optional.of(MERGE);
        }
        try {
            return Optional.of(valueOf(mode.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the whole attribute set after applying {@code reported} to {@code stored} (sorted, for stable JSON) */
    public Map<String, String> apply(Map<String, String> stored, Map<String, String> reported) {
        Map<String, String> result = new TreeMap<>(this == REPLACE ? Map.of() : stored);
        switch (this) {
            case MERGE, REPLACE -> result.putAll(reported);
            case REMOVE -> reported.keySet().forEach(result::remove);
        }
        return result;
    }

    public String ddiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
