package io.updraft.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one JSON form of every event: a {@code type} field names the record; unknown fields are ignored. */
public final class EventJson {
    /** The width of the inboxes' event-id columns; every writer uses a UUID. */
    static final int MAX_EVENT_ID = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private EventJson() {
    }

    public static String write(UpdraftEvent event) {
        try {
            // Serialise through the sealed interface so the "type" discriminator is always written.
            return MAPPER.writerFor(contractOf(event)).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JSON of {@code event} in {@code tenant} (ADR 0021): a top-level {@code "tenant"} field first, before the
     * event's own fields; for {@link TenantIds#DEFAULT} nothing is added, so a single-tenant installation writes the
     * bytes it always wrote (and an event without the field is {@link TenantIds#DEFAULT}'s). An event whose record has
     * a {@code tenant} component of its own (DeviceRegistered) already carries it and is written as it is.
     *
     * @throws IllegalArgumentException if {@code tenant} is not a canonical tenant id
     */
    public static String write(String tenant, UpdraftEvent event) {
        String json = write(event);
        if (TenantIds.isDefault(tenant) || HAS_TENANT_COMPONENT.get(event.getClass())) {
            return json;
        }
        if (!TenantIds.isValid(tenant) || !tenant.equals(TenantIds.canonical(tenant))) {
            throw new IllegalArgumentException("not a canonical tenant id: " + tenant);
        }
        // Jackson writes an object here, never an empty one (every event has a type): splice the field in first,
        // where tenantOf finds it without parsing; the id's characters need no escaping
        return "{\"tenant\":\"" + tenant + "\"," + json.substring(1);
    }

    /**
     * The tenant an event's JSON names in its top-level {@code "tenant"} field, canonical; {@link TenantIds#DEFAULT}
     * when it names none (events written before tenants, and every event of the default tenant).
     *
     * @throws MalformedEventException if the field is there but is not a tenant id
     */
    public static String tenantOf(String json) {
        if (json == null || !json.contains(TENANT_FIELD)) {
            return TenantIds.DEFAULT;
        }
        if (json.startsWith(TENANT_PREFIX)) {
            int end = json.indexOf('"', TENANT_PREFIX.length());
            if (end > 0) {
                return checkedTenant(json.substring(TENANT_PREFIX.length(), end));
            }
        }
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return TenantIds.DEFAULT;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if ("tenant".equals(name)) {
                    if (value == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                        return TenantIds.DEFAULT;
                    }
                    if (value != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        throw new MalformedEventException("an event whose tenant is not a string");
                    }
                    return checkedTenant(parser.getText());
                }
                parser.skipChildren();
            }
            return TenantIds.DEFAULT;
        } catch (IOException e) {
            throw new MalformedEventException("not an event: " + firstLine(e), e);
        }
    }

    public static String tenantOf(byte[] json) {
        return json == null ? TenantIds.DEFAULT : tenantOf(new String(json, StandardCharsets.UTF_8));
    }

    private static String checkedTenant(String value) {
        if (!TenantIds.isValid(value)) {
            throw new MalformedEventException("an event whose tenant is not a tenant id (1-" + TenantIds.MAX_LENGTH
                    + " of A-Z a-z 0-9 _ -)");
        }
        return TenantIds.canonical(value);
    }

    private static final String TENANT_FIELD = "\"tenant\"";
    private static final String TENANT_PREFIX = "{\"tenant\":\"";
    private static final ClassValue<Boolean> HAS_TENANT_COMPONENT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return false;
            }
            for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals("tenant")) {
                    return true;
                }
            }
            return false;
        }
    };

    public static byte[] writeBytes(UpdraftEvent event) {
        return write(event).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one event of the given contract (e.g. {@code DeviceReport.class}).
     *
     * @throws MalformedEventException if the text is not JSON, names an unknown type, lacks its identity, or carries a
     *         schemaVersion this reader does not support (missing counts as 0, unsupported)
     */
    public static <T extends UpdraftEvent> T read(String json, Class<T> contract) {
        return checked(json == null || json.isBlank(), () -> MAPPER.readValue(json, contract), contract);
    }

    /**
     * The same as {@link #read(String, Class)} with a reader already bound to the contract (no per-record type
     * lookup), for consumers on a hot path; the same checks and errors.
     */
    public static <T extends UpdraftEvent> T read(com.fasterxml.jackson.databind.ObjectReader reader, byte[] json,
            Class<T> contract) {
        return checked(json == null || json.length == 0, () -> reader.readValue(json), contract);
    }

    private interface Parse<T> {
        T parse() throws IOException;
    }

    private static <T extends UpdraftEvent> T checked(boolean empty, Parse<T> parse, Class<T> contract) {
        if (empty) {
            throw new MalformedEventException("empty record: expected a " + contract.getSimpleName() + " event");
        }
        T event;
        try {
            event = parse.parse();
        } catch (IOException e) {
            throw new MalformedEventException("not a " + contract.getSimpleName() + " event: " + firstLine(e), e);
        }
        if (event == null) {
            throw new MalformedEventException("null record: expected a " + contract.getSimpleName() + " event");
        }
        if (event.eventId() == null || event.eventId().isBlank()) {
            throw new MalformedEventException(event.type() + " without eventId");
        }
        if (!Identifiers.isIdentifier(event.eventId(), MAX_EVENT_ID)) {
            throw new MalformedEventException(event.type() + " with an eventId that is not an identifier of at most "
                    + MAX_EVENT_ID + " characters");
        }
        if (event.key() == null || event.key().isBlank()) {
            throw new MalformedEventException(event.type() + " " + event.eventId() + " without its key field");
        }
        if (!Identifiers.isIdentifier(event.key(), Identifiers.MAX_LENGTH)) {
            // a device, rollout or release id that no edge would have let in: nothing to apply it to
            throw new MalformedEventException(event.type() + " " + event.eventId()
                    + " has a key field that is not an identifier (1-200 of A-Z a-z 0-9 . _ - ~ : @ +)");
        }
        if (event.schemaVersion() < UpdraftEvent.MIN_SCHEMA_VERSION || event.schemaVersion() > UpdraftEvent.SCHEMA_VERSION) {
            // a version this reader does not know may mean anything: park it rather than guess (additive fields do
            // not change the version; readers ignore fields they do not know)
            throw new MalformedEventException(event.type() + " " + event.eventId() + " has unsupported schemaVersion "
                    + event.schemaVersion() + " (this reader applies " + UpdraftEvent.MIN_SCHEMA_VERSION + " to "
                    + UpdraftEvent.SCHEMA_VERSION + ")");
        }
        return event;
    }

    public static <T extends UpdraftEvent> T read(byte[] json, Class<T> contract) {
        return read(json == null ? null : new String(json, StandardCharsets.UTF_8), contract);
    }

    /** The shared mapper (configured as above) for code that maps other JSON the same way. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static Class<?> contractOf(UpdraftEvent event) {
        for (Class<?> candidate : event.getClass().getInterfaces()) {
            if (UpdraftEvent.class.isAssignableFrom(candidate) && candidate != UpdraftEvent.class) {
                return candidate;
            }
        }
        return event.getClass();
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
