package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the records say: topic → key field → event records. The AsyncAPI document must say the same. */
final class EventCatalog {
    record Channel(String topic, String keyField, Class<?> contract, List<Class<?>> events) {
    }

    static List<Channel> channels() {
        return List.of(
                channel(Topics.RELEASES, "releaseId", ReleaseEvent.class),
                channel(Topics.DEVICE_COMMANDS, "deviceId", DeviceCommand.class),
                channel(Topics.DEVICE_REPORTS, "deviceId", DeviceReport.class),
                channel(Topics.DEVICE_TELEMETRY, "deviceId", DeviceTelemetry.class),
                channel(Topics.ROLLOUT_EVENTS, "rolloutId", RolloutEvent.class),
                channel(Topics.ROLLBACKS, "rolloutId", RollbackEvent.class),
                channel(Topics.FLEET_HEALTH, "rolloutId", FleetHealthEvent.class),
                channel(Topics.TENANTS, "tenantId", TenantEvent.class));
    }

    private static Channel channel(String topic, String key, Class<?> contract) {
        List<Class<?>> events = new ArrayList<>();
        for (JsonSubTypes.Type type : contract.getAnnotation(JsonSubTypes.class).value()) {
            events.add(type.value());
        }
        return new Channel(topic, key, contract, events);
    }

    /** JSON schema of a record: component name → schema map; nested records inline. */
    static Map<String, Object> schemaOf(Class<?> record) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            properties.put(component.getName(), schemaOf(component.getGenericType()));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        return schema;
    }

    static Map<String, Object> schemaOf(Type type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                schema.put("type", "array");
                schema.put("items", schemaOf(parameterized.getActualTypeArguments()[0]));
            } else if (Map.class.isAssignableFrom(raw)) {
                schema.put("type", "object");
                schema.put("additionalProperties", schemaOf(parameterized.getActualTypeArguments()[1]));
            } else {
                throw new IllegalArgumentException("unmapped type " + type);
            }
            return schema;
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            schema.put("type", "string");
        } else if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            schema.put("type", "integer");
        } else if (c == double.class || c == Double.class) {
            schema.put("type", "number");
        } else if (c == boolean.class || c == Boolean.class) {
            schema.put("type", "boolean");
        } else if (c == Instant.class) {
            schema.put("type", "string");
            schema.put("format", "date-time");
        } else if (c == Duration.class) {
            schema.put("type", "string");
            schema.put("format", "duration");
        } else if (c.isEnum()) {
            schema.put("type", "string");
            List<String> values = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            schema.put("enum", values);
        } else if (c.isRecord()) {
            return schemaOf(c);
        } else {
            throw new IllegalArgumentException("unmapped type " + c);
        }
        return schema;
    }

    private EventCatalog() {
    }
}
