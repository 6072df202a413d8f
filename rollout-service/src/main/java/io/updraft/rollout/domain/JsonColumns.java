package io.updraft.rollout.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.updraft.events.ArtifactRef;
import io.updraft.events.EventJson;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RolloutEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The JSON kept in jsonb columns, written and read with the same mapper as the events. */
public final class JsonColumns {
    private static final TypeReference<List<ArtifactRef>> ARTIFACTS = new TypeReference<>() {
    };
    private static final TypeReference<List<HardwareCompatibility>> HARDWARE = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    public static String write(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ArtifactRef> artifacts(String json) {
        return read(json, ARTIFACTS);
    }

    public static List<HardwareCompatibility> hardware(String json) {
        return read(json, HARDWARE);
    }

    public static Map<String, String> attributes(String json) {
        return json == null ? Map.of() : read(json, ATTRIBUTES);
    }

    /** The rollout's stored rollback policy, or null for a rollout created before it was stored. */
    public static RolloutEvent.RollbackPolicy rollbackPolicy(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(json, RolloutEvent.RollbackPolicy.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Telemetry's evidence of a cohort's rollback, or null. */
    public static RollbackEvent.Evidence evidence(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(json, RollbackEvent.Evidence.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> names(String json) {
        return read(json, NAMES);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
