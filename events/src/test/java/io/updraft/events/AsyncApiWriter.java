package io.updraft.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes {@code events/asyncapi.yaml} from the records. Run after changing an event:
 * {@code ./mvnw -pl events test -Dupdraft.asyncapi.write=true} (AsyncApiDocumentTest calls it).
 */
final class AsyncApiWriter {
    static final Map<String, String> DESCRIPTIONS = Map.of(
            Topics.RELEASES, "Releases published by CI, promoted to stable or revoked. Written by release-service.",
            Topics.DEVICE_COMMANDS, "One command per device per action: install or cancel. Written by rollout-service, read by device-gateway.",
            Topics.DEVICE_REPORTS, "What devices report through the gateway: registration, attributes, action progress and results, sampled heartbeats.",
            Topics.DEVICE_TELEMETRY, "Device health reports (boot, crashes, application health, custom metrics). Written by device-gateway.",
            Topics.ROLLOUT_EVENTS, "Every state change of a rollout. Written by rollout-service, read by telemetry-service and dashboards.",
            Topics.ROLLBACKS, "Rollback decisions per rollout and hardware cohort. Written by telemetry-service, read by rollout-service.",
            Topics.FLEET_HEALTH, "Health aggregates per rollout and hardware cohort, one record per closed window. Read by dashboards.",
            Topics.TENANTS, "The tenant registry, compacted: the latest definition and quotas of each tenant (null: unlimited). Platform records (no tenant field). Written by release-service, read into memory by the services that enforce quotas.");

    static Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("asyncapi", "3.0.0");
        doc.put("info", ordered("title", "Updraft events", "version", String.valueOf(UpdraftEvent.SCHEMA_VERSION),
                "description", "Every topic, its key and its events. JSON values with a `type` discriminator; "
                        + "CloudEvents binary-mode headers (ce_id, ce_type, ce_source, ce_time, ce_subject). Readers "
                        + "ignore unknown fields and skip an eventId they already applied. Each consumer parks "
                        + "unreadable records on `<topic>.dlq`. Generated from the records in events/ and checked "
                        + "against them by AsyncApiDocumentTest."));
        doc.put("defaultContentType", "application/json");
        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        Map<String, Object> schemas = new LinkedHashMap<>();
        for (EventCatalog.Channel channel : EventCatalog.channels()) {
            Map<String, Object> channelMessages = new LinkedHashMap<>();
            for (Class<?> event : channel.events()) {
                String name = event.getSimpleName();
                channelMessages.put(name, ordered("$ref", "#/components/messages/" + name));
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("name", name);
                message.put("payload", ordered("$ref", "#/components/schemas/" + name));
                message.put("bindings", ordered("kafka", ordered("key",
                        ordered("type", "string", "description", channel.keyField()))));
                messages.put(name, message);
                Map<String, Object> schema = EventCatalog.schemaOf(event);
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
                Map<String, Object> withType = new LinkedHashMap<>();
                withType.put("type", ordered("type", "string", "const", name));
                withType.putAll(properties);
                schema.put("properties", withType);
                schema.put("required", List.of("type", "eventId", "occurredAt", "schemaVersion", channel.keyField()));
                schemas.put(name, schema);
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("address", channel.topic());
            c.put("description", DESCRIPTIONS.get(channel.topic()) + " Key: " + channel.keyField() + ".");
            c.put("messages", channelMessages);
            channels.put(channel.topic(), c);
        }
        doc.put("channels", channels);
        doc.put("components", ordered("messages", messages, "schemas", schemas));
        return doc;
    }

    static void write(Path file) throws Exception {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        Files.writeString(file, "# Generated from the event records; AsyncApiDocumentTest fails when they differ.\n"
                + new Yaml(options).dump(document()));
    }

    private AsyncApiWriter() {
    }

    /** A map in the order written, so the generated document is the same on every run. */
    private static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            V value = (V) keysAndValues[i + 1];
            map.put((String) keysAndValues[i], value);
        }
        return map;
    }
}
