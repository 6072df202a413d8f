package io.updraft.release.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.events.TenantIds;
import io.updraft.release.domain.TenantQuotas;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the bodies of {@code /api/v1/tenants} strictly: at most {@link #MAX_BYTES}, one JSON object, no duplicate or
 * unknown field, quotas null or whole numbers from 0 (not "10", not 1.5). Anything else is a 400 before anything is
 * looked up, so a refused request changes nothing.
 */
final class TenantBodies {
    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_DISPLAY_NAME = 200;
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> CREATE_FIELDS = Set.of("id", "displayName", "quotas");
    private static final Set<String> QUOTA_FIELDS = Set.of("maxDevices", "maxArtifactBytes", "maxRolloutsInFlight",
            "maxCommandsPerSecond");

    /** What {@code POST /api/v1/tenants} asks for. */
    record NewTenant(String id, String displayName, TenantQuotas quotas) {
    }

    private TenantBodies() {
    }

    /** {@code {"id":"ACME","displayName":"Acme Corp.","quotas":{…}}}: the id is required, the rest optional. */
    static NewTenant newTenant(InputStream body) {
        ObjectNode json = object(body, "body must be {\"id\": \"ACME\", \"displayName\": \"…\", \"quotas\": {…}}");
        onlyKnown(json, CREATE_FIELDS, "");
        JsonNode id = json.get("id");
        if (id == null || !id.isTextual() || !TenantIds.isValid(id.asText())) {
            throw ProblemException.badRequest("'id' must be a tenant id: 1-" + TenantIds.MAX_LENGTH
                    + " of A-Z a-z 0-9 _ -, starting with a letter or digit (compared without case)");
        }
        String canonical = TenantIds.canonical(id.asText());
        String displayName = canonical;
        JsonNode name = json.get("displayName");
        if (name != null && !name.isNull()) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw ProblemException.badRequest("'displayName' must be a non-blank string");
            }
            displayName = Inputs.line("displayName", name.asText().strip(), MAX_DISPLAY_NAME);
        }
        JsonNode quotas = json.get("quotas");
        if (quotas == null || quotas.isNull()) {
            return new NewTenant(canonical, displayName, TenantQuotas.UNLIMITED);
        }
        if (!quotas.isObject()) {
            throw ProblemException.badRequest("'quotas' must be an object of maxDevices, maxArtifactBytes,"
                    + " maxRolloutsInFlight, maxCommandsPerSecond");
        }
        return new NewTenant(canonical, displayName, merge(TenantQuotas.UNLIMITED, (ObjectNode) quotas, "quotas."));
    }

    /** {@code PUT …/quotas}: all four quotas; one left out is unlimited. */
    static TenantQuotas replacement(InputStream body) {
        return merge(TenantQuotas.UNLIMITED, quotasObject(body), "");
    }

    /** {@code PATCH …/quotas} (JSON merge patch, RFC 7396): a field left out is kept, null makes it unlimited. */
    static ObjectNode patch(InputStream body) {
        ObjectNode patch = quotasObject(body);
        merge(TenantQuotas.UNLIMITED, patch, ""); // every field checked before anything is looked up
        return patch;
    }

    /** {@code quotas} with the fields {@code json} names set (null: unlimited) and the others as they were. */
    static TenantQuotas merge(TenantQuotas quotas, ObjectNode json, String prefix) {
        onlyKnown(json, QUOTA_FIELDS, prefix);
        return new TenantQuotas(
                json.has("maxDevices") ? whole(json, "maxDevices", prefix, Long.MAX_VALUE) : quotas.maxDevices(),
                json.has("maxArtifactBytes") ? whole(json, "maxArtifactBytes", prefix, Long.MAX_VALUE)
                        : quotas.maxArtifactBytes(),
                json.has("maxRolloutsInFlight") ? toInt(whole(json, "maxRolloutsInFlight", prefix, Integer.MAX_VALUE))
                        : quotas.maxRolloutsInFlight(),
                json.has("maxCommandsPerSecond")
                        ? toInt(whole(json, "maxCommandsPerSecond", prefix, Integer.MAX_VALUE))
                        : quotas.maxCommandsPerSecond());
    }

    private static ObjectNode quotasObject(InputStream body) {
        return object(body, "body must be {\"maxDevices\": …, \"maxArtifactBytes\": …, \"maxRolloutsInFlight\": …,"
                + " \"maxCommandsPerSecond\": …} (null: unlimited)");
    }

    private static Long whole(ObjectNode json, String field, String prefix, long max) {
        JsonNode value = json.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > max) {
            throw ProblemException.badRequest("'" + prefix + field + "' must be null (unlimited) or a whole number from"
                    + " 0 to " + max + ", not " + abbreviated(value.toString()));
        }
        return value.asLong();
    }

    private static Integer toInt(Long value) {
        return value == null ? null : Math.toIntExact(value);
    }

    private static void onlyKnown(ObjectNode json, Set<String> known, String prefix) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(prefix + abbreviated(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("unknown field(s) " + unknown + "; known: " + known.stream().sorted()
                    .map(k -> prefix + k).toList());
        }
    }

    private static ObjectNode object(InputStream body, String expected) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new ProblemException(413, "Content too large", "the body may be at most " + MAX_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = bytes.length == 0 ? null : STRICT.readTree(bytes);
        } catch (IOException e) {
            throw ProblemException.badRequest(expected + ": " + abbreviated(firstLine(e.getMessage())));
        }
        if (json == null || !json.isObject()) {
            throw ProblemException.badRequest(expected);
        }
        return (ObjectNode) json;
    }

    /** Echoed text stays one short line: no control characters reach the problem document. */
    private static String abbreviated(String text) {
        String line = text == null ? "" : text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
