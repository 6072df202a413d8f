package io.updraft.e2e.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.e2e.hostile.RawRequest.Credential;
import io.updraft.e2e.hostile.RawRequest.Expectation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hostile requests: generated from each service's OpenAPI document (every operation, a hostile value in each of
 * its path parameters, query parameters and JSON body fields, and hostile whole bodies, with every kind of credential
 * that must not pass) plus hand-written hawkBit DDI cases against the gateway (the encoded-slash and dot-segment
 * bypasses, other devices' tokens, hostile controllerIds, attribute values, health reports, feedback, action ids and
 * file names). Every request in it must be refused, except reads with valid credentials whose hostile part is an
 * ignorable query parameter.
 */
public final class HostileCorpus {
    /**
     * POSTs that only read, so a viewer may send them: a rollout preview, and telemetry's batch read of device health
     * (a POST because a page of ids does not fit a URL).
     */
    private static final List<String> READ_ONLY_POSTS = List.of("/preview", "/devices/health/batch");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Raw (already percent-encoded) values for a path segment or query value. */
    static final List<String> HOSTILE_RAW = List.of("%00", "a%00b", "a%0D%0AX-Injected:%201", "%0A", "%7F", "%1B[31m",
            "x".repeat(300), "x".repeat(10_000), "%2F", "a%2Fb", "%2f..%2f", "%5C", "a%5Cb", "..", "%2E%2E",
            "%2e%2E%2Fetc", "%252F", "%25%30%30", "%C0%AF", "%FF%FE", "%ED%A0%80", "%25", "a%", "%u0000", "a%20b",
            "%C3%A9t%C3%A9");
    /** Extra raw values for a numeric query parameter. */
    static final List<String> HOSTILE_NUMBERS_RAW = List.of("abc", "-1", "99999999999999999999", "1e309", "0x10",
            "NaN", "-2147483649");
    private static final String LONG = "x".repeat(70_000);
    private static final Pattern ONE_LINE_FIELD = Pattern.compile("(?i)(.*id|name|version|model|revision|cohort|"
            + "timezone|schedule)");
    private static final Pattern DURATION_FIELD = Pattern.compile("(?i).*(time|duration|deadline|soak|timeout|window|"
            + "interval|delay|age|after|lifetime).*");

    /** Where the hostile requests go and which real objects they aim at. */
    public record Targets(Map<String, Integer> ports, String adminToken, String viewerToken, String forgedToken,
            String expiredToken, String otherAudienceToken, String gatewayToken, String deviceA, String tokenA, String deviceB, String tokenB,
            long actionB, String releaseId, String rolloutId, String artifactModule, String artifactFile) {
    }

    private final Targets targets;
    private final List<RawRequest> requests = new ArrayList<>();

    private HostileCorpus(Targets targets) {
        this.targets = targets;
    }

    public static List<RawRequest> build(Targets targets, Map<String, JsonNode> openApiByService) {
        HostileCorpus corpus = new HostileCorpus(targets);
        openApiByService.forEach(corpus::fromOpenApi);
        corpus.transportCases();
        corpus.ddiCases();
        return List.copyOf(corpus.requests);
    }

    // ---------------------------------------------------------------- generated from OpenAPI

    private void fromOpenApi(String service, JsonNode document) {
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().contains("/controller/v1/")) {
                continue; // the DDI routes: hand-written below, with device credentials
            }
            Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
            while (operations.hasNext()) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = operation.getKey().toUpperCase();
                if (List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    operation(service, method, path.getKey(), operation.getValue(), document);
                }
            }
        }
    }

    private void operation(String service, String method, String template, JsonNode operation, JsonNode document) {
        boolean read = method.equals("GET");
        boolean secured = operation.has("security") || template.startsWith("/api/");
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, JsonNode> queryParameters = new LinkedHashMap<>();
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.path("name").asText();
            switch (parameter.path("in").asText()) {
                case "path" -> pathValues.put(name, baselinePathValue(template, name));
                case "query" -> queryParameters.put(name, resolve(parameter.path("schema"), document));
                default -> { }
            }
        }
        JsonNode bodySchema = jsonBodySchema(operation, document);
        String multipart = operation.path("requestBody").path("content").has("multipart/form-data")
                ? "multipart" : null;
        JsonNode baselineBody = bodySchema == null ? null : baseline(template, bodySchema, document, 0);
        String label = method + " " + template;

        // hostile path parameters, one at a time
        for (String name : pathValues.keySet()) {
            for (String hostile : HOSTILE_RAW) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(name, hostile);
                add(service, method, fill(template, values), jsonHeaders(baselineBody), bytes(baselineBody),
                        Credential.VALID, Expectation.REFUSED, label + " path " + name);
            }
        }
        String base = fill(template, pathValues);
        // hostile query parameters, one at a time; a read may ignore what it does not use
        Expectation queryExpectation = read ? Expectation.READ_MAY_SUCCEED : Expectation.REFUSED;
        for (Map.Entry<String, JsonNode> query : queryParameters.entrySet()) {
            List<String> values = new ArrayList<>(HOSTILE_RAW);
            String type = query.getValue().path("type").asText();
            if (type.equals("integer") || type.equals("number")) {
                values.addAll(HOSTILE_NUMBERS_RAW);
            }
            for (String hostile : values) {
                add(service, method, base + "?" + query.getKey() + "=" + hostile, jsonHeaders(baselineBody),
                        bytes(baselineBody), Credential.VALID,
                        type.equals("integer") || type.equals("number") ? Expectation.REFUSED : queryExpectation,
                        label + " query " + query.getKey());
            }
        }
        // hostile JSON body fields, one at a time, and hostile whole bodies
        if (baselineBody != null) {
            for (Map.Entry<String, JsonNode> mutation : mutations(baselineBody, bodySchema, document).entrySet()) {
                add(service, method, base, jsonHeaders(mutation.getValue()), bytes(mutation.getValue()),
                        Credential.VALID, Expectation.REFUSED, label + " body " + mutation.getKey());
            }
            // no body at all is a valid request where the body is optional or has no required field (a pause
            // without a reason)
            boolean optional = !operation.path("requestBody").path("required").asBoolean(false)
                    || bodySchema.path("required").isEmpty();
            for (Map.Entry<String, byte[]> whole : hostileBodies().entrySet()) {
                if (optional && (whole.getKey().equals("empty") || whole.getKey().equals("null"))) {
                    continue;
                }
                add(service, method, base, Map.of("Content-Type", "application/json"), whole.getValue(),
                        Credential.VALID, Expectation.REFUSED, label + " body " + whole.getKey());
            }
            add(service, method, base, Map.of("Content-Type", "text/plain"), bytes(baselineBody), Credential.VALID,
                    Expectation.REFUSED, label + " text/plain body");
        }
        if (multipart != null) {
            for (Map.Entry<String, byte[]> whole : hostileBodies().entrySet()) {
                add(service, method, base, Map.of("Content-Type", "multipart/form-data; boundary=b"),
                        whole.getValue(), Credential.VALID, Expectation.REFUSED, label + " multipart " + whole.getKey());
            }
        }
        // every credential that must not pass: the baseline request and two hostile ones
        if (secured) {
            List<String> variants = new ArrayList<>(List.of(base, base + "/..", fill(template,
                    replaceAll(pathValues, "a%2Fb"))));
            for (Credential credential : List.of(Credential.NONE, Credential.MALFORMED, Credential.FORGED,
                    Credential.EXPIRED, Credential.WRONG_AUDIENCE)) {
                for (String target : variants) {
                    add(service, method, target, jsonHeaders(baselineBody), bytes(baselineBody), credential,
                            Expectation.REFUSED, label + " credentials");
                }
            }
            if (!read && READ_ONLY_POSTS.stream().noneMatch(template::endsWith)) {
                add(service, method, base, jsonHeaders(baselineBody), bytes(baselineBody), Credential.WRONG_ROLE,
                        Expectation.REFUSED, label + " as viewer");
            }
        }
    }

    private String baselinePathValue(String template, String name) {
        if (name.equals("controllerId") || name.equals("id") && template.contains("/devices")) {
            return targets.deviceA();
        }
        if (template.contains("/releases")) {
            return targets.releaseId();
        }
        if (template.contains("/rollouts")) {
            return name.equals("cohort") ? "gw-100:1.0" : targets.rolloutId();
        }
        if (name.toLowerCase().contains("upload")) {
            return "6f1c2b0e-9a4d-4c1b-8e2f-0d6f2b8c9e11";
        }
        if (template.contains("/artifacts")) {
            return "1";
        }
        return "x1";
    }

    private static Map<String, String> replaceAll(Map<String, String> values, String with) {
        Map<String, String> replaced = new LinkedHashMap<>();
        values.keySet().forEach(k -> replaced.put(k, with));
        return replaced;
    }

    private static String fill(String template, Map<String, String> values) {
        String filled = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace("{" + value.getKey() + "}", value.getValue());
        }
        return filled;
    }

    private static JsonNode jsonBodySchema(JsonNode operation, JsonNode document) {
        JsonNode content = operation.path("requestBody").path("content");
        for (String type : List.of("application/json", "application/hal+json")) {
            if (content.has(type)) {
                return resolve(content.path(type).path("schema"), document);
            }
        }
        return null;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode document) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.path("$ref").asText();
            current = document.at(ref.substring(1));
        }
        if (current.has("allOf") && current.path("allOf").size() == 1) {
            return resolve(current.path("allOf").get(0), document);
        }
        return current;
    }

    /** A plausible body: required and optional fields of the schema with ordinary values, two levels deep. */
    private JsonNode baseline(String template, JsonNode schema, JsonNode document, int depth) {
        JsonNode resolved = resolve(schema, document);
        String type = resolved.path("type").asText(resolved.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 2) {
                    Iterator<Map.Entry<String, JsonNode>> properties = resolved.path("properties").fields();
                    while (properties.hasNext()) {
                        Map.Entry<String, JsonNode> property = properties.next();
                        object.set(property.getKey(), baselineField(template, property.getKey(), property.getValue(),
                                document, depth));
                    }
                }
                yield object;
            }
            case "array" -> NODES.arrayNode().add(baseline(template, resolved.path("items"), document, depth + 1));
            case "integer", "number" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(false);
            default -> NODES.textNode("x1");
        };
    }

    private JsonNode baselineField(String template, String name, JsonNode schema, JsonNode document, int depth) {
        JsonNode resolved = resolve(schema, document);
        if (resolved.has("enum") && resolved.path("enum").size() > 0) {
            return resolved.path("enum").get(0);
        }
        if (name.equals("releaseId")) {
            return NODES.textNode(targets.releaseId());
        }
        if (name.equals("waves")) {
            return NODES.arrayNode().add(100);
        }
        if (name.equals("reason")) {
            return NODES.textNode("hostile corpus");
        }
        if (name.equals("filter")) {
            return NODES.textNode("fleet = \"nobody\"");
        }
        if (DURATION_FIELD.matcher(name).matches() && resolved.path("type").asText("string").equals("string")) {
            return NODES.textNode("PT1M");
        }
        return baseline(template, resolved, document, depth + 1);
    }

    /** field path → the baseline body with that one field made hostile. */
    private Map<String, JsonNode> mutations(JsonNode baseline, JsonNode schema, JsonNode document) {
        Map<String, JsonNode> mutated = new LinkedHashMap<>();
        if (!baseline.isObject()) {
            return mutated;
        }
        Iterator<String> names = baseline.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = baseline.get(name);
            for (JsonNode hostile : hostileValues(name, value)) {
                ObjectNode copy = baseline.deepCopy();
                copy.set(name, hostile);
                mutated.put(name + " = " + describe(hostile), copy);
            }
            if (value.isObject() && value.size() > 0) {
                JsonNode inner = resolve(resolve(schema, document).path("properties").path(name), document);
                mutations(value, inner, document).forEach((field, hostileInner) -> {
                    ObjectNode copy = baseline.deepCopy();
                    copy.set(name, hostileInner);
                    mutated.put(name + "." + field, copy);
                });
            }
        }
        return mutated;
    }

    private static List<JsonNode> hostileValues(String name, JsonNode baseline) {
        List<JsonNode> values = new ArrayList<>();
        if (baseline.isTextual()) {
            values.addAll(List.of(NODES.textNode("\u0000"), NODES.textNode("a\u0000b"), NODES.textNode("\u001b[31m"),
                    NODES.textNode("\ud800"), NODES.textNode(LONG), NODES.objectNode().put("x", 1)));
            if (ONE_LINE_FIELD.matcher(name).matches()) {
                values.add(NODES.textNode("a\r\nb")); // free text (reasons, notes) may span lines; ids and names not
            }
            if (DURATION_FIELD.matcher(name).matches()) {
                values.addAll(List.of(NODES.textNode("PT999999999999H"), NODES.textNode("PT-1S"),
                        NODES.textNode("P99999999999999999999D"), NODES.textNode("1 hour")));
            }
        } else if (baseline.isNumber()) {
            values.addAll(List.of(NODES.textNode("abc"), NODES.numberNode(-1),
                    NODES.numberNode(new java.math.BigDecimal("1e309")),
                    NODES.numberNode(new java.math.BigInteger("9223372036854775808")), NODES.arrayNode()));
        } else if (baseline.isBoolean()) {
            values.addAll(List.of(NODES.textNode("abc"), NODES.numberNode(2), NODES.objectNode()));
        } else if (baseline.isArray()) {
            values.addAll(List.of(NODES.textNode("x"), NODES.arrayNode().add("\u0000"),
                    NODES.arrayNode().add(NODES.numberNode(-1))));
            if (name.equals("waves")) {
                values.add(NODES.arrayNode());
                values.add(NODES.arrayNode().add(50).add(20));
                values.add(NODES.arrayNode().add(150));
            }
        } else if (baseline.isObject()) {
            values.addAll(List.of(NODES.textNode("x"), NODES.objectNode().put("\u0000", "v"),
                    NODES.objectNode().put("k", "\u0000"), NODES.objectNode().put("k\r\n", "v")));
        }
        return values;
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }

    /** Whole bodies that are not what any endpoint reads. */
    private static Map<String, byte[]> hostileBodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("malformed JSON", "{\"a\":".getBytes(StandardCharsets.UTF_8));
        bodies.put("empty", new byte[0]);
        bodies.put("null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("array", "[]".getBytes(StandardCharsets.UTF_8));
        bodies.put("a string", "\"x\"".getBytes(StandardCharsets.UTF_8));
        bodies.put("nested 5,000 deep", ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8));
        // in a field name: every reader decodes names, even of fields it then ignores
        bodies.put("invalid UTF-8", new byte[] { '{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '"', 'x', '"', '}' });
        bodies.put("NUL bytes", new byte[] { '{', 0, 0, '}' });
        return bodies;
    }

    // ---------------------------------------------------------------- transport: sizes and headers

    private void transportCases() {
        for (Map.Entry<String, Integer> service : targets.ports().entrySet()) {
            String name = service.getKey();
            String api = switch (name) {
                case "release-service" -> "/api/v1/releases";
                case "rollout-service" -> "/api/v1/rollouts";
                case "device-gateway" -> "/api/v1/devices/" + targets.deviceA();
                default -> "/api/v1/rollbacks";
            };
            for (Credential credential : List.of(Credential.VALID, Credential.NONE)) {
                add(name, "GET", api + "?q=" + "x".repeat(20_000), Map.of(), null, credential, Expectation.REFUSED,
                        "20,000-char URI");
                add(name, "GET", "/" + "a/".repeat(10_000), Map.of(), null, credential, Expectation.REFUSED,
                        "10,000 segments");
                add(name, "GET", api, Map.of("X-Junk", "y".repeat(40_000)), null, credential, Expectation.REFUSED,
                        "40 kB header");
                add(name, "POST", api.startsWith("/api/v1/devices") ? api + "/token" : api,
                        Map.of("Content-Type", "application/json"), new byte[11 * 1024 * 1024], credential,
                        Expectation.REFUSED, "11 MB body");
                add(name, "GET", api + "/nope/nope", Map.of(), null, credential, Expectation.REFUSED, "unknown route");
                add(name, "GET", "/no/such/resource", Map.of(), null, credential, Expectation.REFUSED,
                        "no resource root");
                add(name, "DELETE", api, Map.of(), null, credential, Expectation.REFUSED, "wrong method");
                add(name, "GET", api, Map.of("Accept", "application/xml"), null, credential, Expectation.REFUSED,
                        "unacceptable Accept");
            }
        }
    }

    // ---------------------------------------------------------------- hawkBit DDI

    private record DdiEndpoint(String method, String suffix, String body) {
    }

    private List<DdiEndpoint> ddiEndpoints() {
        long action = targets.actionB();
        String feedback = "{\"id\":" + action + ",\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":"
                + "\"failure\"},\"details\":[\"hostile\"]}}";
        String artifacts = "/softwaremodules/" + targets.artifactModule() + "/artifacts";
        return List.of(new DdiEndpoint("GET", "", null),
                new DdiEndpoint("GET", "/deploymentBase/" + action, null),
                new DdiEndpoint("POST", "/deploymentBase/" + action + "/feedback", feedback),
                new DdiEndpoint("GET", "/cancelAction/" + action, null),
                new DdiEndpoint("POST", "/cancelAction/" + action + "/feedback", feedback),
                new DdiEndpoint("PUT", "/configData", "{\"mode\":\"merge\",\"data\":{\"model\":\"evil\"}}"),
                new DdiEndpoint("GET", "/installedBase/" + action, null),
                new DdiEndpoint("PUT", "/installedBase", "{\"version\":\"6.6.6\"}"),
                new DdiEndpoint("POST", "/health", "{\"bootOk\":false,\"crashCount\":99,\"appHealthy\":false}"),
                new DdiEndpoint("GET", artifacts, null),
                new DdiEndpoint("GET", artifacts + "/" + targets.artifactFile(), null),
                new DdiEndpoint("GET", artifacts + "/" + targets.artifactFile() + ".MD5SUM", null));
    }

    private void ddiCases() {
        String a = targets.deviceA();
        String b = targets.deviceB();
        List<String> bypasses = List.of("/DEFAULT%2Fx/controller/v1/" + b, "/%2FDEFAULT/controller/v1/" + b,
                "/DEFAULT%2F/controller/v1/" + b, "/DEFAULT%2f/controller/v1/" + b,
                "/DEFAULT/controller/v1/" + a + "%2F..%2F" + b, "/./DEFAULT/controller/v1/" + b,
                "/DEFAULT/./controller/v1/" + b, "/DEFAULT/controller/v1/" + a + "/../" + b,
                "/DEFAULT/controller/v1/" + a + "/%2E%2E/" + b, "/DEFAULT%252Fx/controller/v1/" + b,
                "/DEFAULT%5Cx/controller/v1/" + b, "/DEFAULT/Controller/v1/" + b, "/DEFAULT/controller/V1/" + b,
                "/default/controller/v1/" + b, "/DEFAULT/controller/v1/" + b + ";x=y",
                "/DEFAULT;x=y/controller/v1/" + b, "//DEFAULT/controller/v1/" + b, "/DEFAULT//controller/v1/" + b,
                "/DEFAULT/controller/v1//" + b, "/DEFAULT%00/controller/v1/" + b, "/DEFAULT/controller/v1/" + b + "%00",
                "/DEFAULT/controller/v1/" + b + "%2F", "/DEFAULT/controller/v1/" + b + "/.");
        Map<Credential, String> refusedCredentials = new LinkedHashMap<>();
        refusedCredentials.put(Credential.NONE, null);
        refusedCredentials.put(Credential.MALFORMED, "TargetToken");
        refusedCredentials.put(Credential.OTHER_DEVICE, "TargetToken " + targets.tokenA());
        List<String> prefixes = new ArrayList<>(bypasses);
        prefixes.add("/DEFAULT/controller/v1/" + b); // the real path: credentials decide
        for (String prefix : prefixes) {
            for (DdiEndpoint endpoint : ddiEndpoints()) {
                for (Map.Entry<Credential, String> credential : refusedCredentials.entrySet()) {
                    ddi(endpoint.method(), prefix + endpoint.suffix(), endpoint.body(), credential.getValue(),
                            credential.getKey(), "DDI " + endpoint.method() + " " + endpoint.suffix() + " via "
                                    + shorten(prefix));
                }
            }
        }
        for (String malformed : List.of("GatewayToken wrong-gateway-token", "TargetToken " + "t".repeat(10_000),
                "Bearer " + targets.adminToken(), "TargetToken\t", "Basic YWRtaW46YWRtaW4=",
                "TargetToken " + targets.tokenB() + "x", "targettoken", "GatewayToken")) {
            for (DdiEndpoint endpoint : ddiEndpoints()) {
                ddi(endpoint.method(), "/DEFAULT/controller/v1/" + b + endpoint.suffix(), endpoint.body(), malformed,
                        Credential.MALFORMED, "DDI " + endpoint.suffix() + " with a malformed Authorization");
            }
        }
        hostileControllerIds();
        hostileDeviceInput();
    }

    private void hostileControllerIds() {
        String gateway = "GatewayToken " + targets.gatewayToken();
        List<String> ids = List.of("x".repeat(201), "x".repeat(5_000), "%00", "a%00b", "a%0D%0Ab", "%20x", "a%20b",
                "a%2Fb", "..", "-x", ".x", "x%C3%A9", "a%09b", "%7F", "a%25b", "a%22b", "a'b", "a%3Cb%3E");
        for (String id : ids) {
            for (DdiEndpoint endpoint : ddiEndpoints()) {
                ddiValid("/DEFAULT/controller/v1/" + id + endpoint.suffix(), endpoint, gateway,
                        "DDI " + endpoint.suffix() + " controllerId " + shorten(id));
            }
        }
        for (String tenant : List.of("x".repeat(300), "OTHER", "a%00b", "..", "DEFAULT%20")) {
            ddiValid("/" + tenant + "/controller/v1/" + targets.deviceA(), ddiEndpoints().get(0), gateway,
                    "DDI poll tenant " + shorten(tenant));
        }
    }

    private void ddiValid(String target, DdiEndpoint endpoint, String authorization, String label) {
        ddi(endpoint.method(), target, endpoint.body(), authorization, Credential.VALID, label);
    }

    private void hostileDeviceInput() {
        String a = "/DEFAULT/controller/v1/" + targets.deviceA();
        String b = "/DEFAULT/controller/v1/" + targets.deviceB();
        String tokenA = "TargetToken " + targets.tokenA();
        String tokenB = "TargetToken " + targets.tokenB();
        StringBuilder many = new StringBuilder("{\"mode\":\"merge\",\"data\":{");
        for (int i = 0; i < 1_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        many.append("}}");
        List<String> configData = List.of("{\"mode\":\"merge\",\"data\":{\"k\":\"a\\u0000b\"}}",
                "{\"mode\":\"merge\",\"data\":{\"k\":1}}", "{\"mode\":\"merge\",\"data\":{\"k\":{\"x\":\"y\"}}}",
                "{\"mode\":\"merge\",\"data\":{\"k\":[\"x\"]}}", "{\"mode\":\"merge\",\"data\":{\"k\":true}}",
                "{\"mode\":\"merge\",\"data\":{\"\\u0000\":\"v\"}}", "{\"mode\":\"merge\",\"data\":{\"k\\r\\n\":\"v\"}}",
                "{\"mode\":\"merge\",\"data\":{\"k\":\"" + LONG + "\"}}", "{\"mode\":\"merge\",\"data\":{\"" + LONG
                        + "\":\"v\"}}", "{\"mode\":\"bogus\",\"data\":{\"k\":\"v\"}}",
                "{\"mode\":\"merge\",\"data\":{\"k\":\"\\ud800\"}}", "{\"mode\":\"merge\",\"data\":\"x\"}",
                many.toString(), "{\"mode\":\"merge\",\"data\":{\"k\":\"a\\u001bb\"}}", "{", "", "[]", "null");
        configData.forEach(body -> ddi("PUT", a + "/configData", body, tokenA, Credential.VALID,
                "DDI configData " + shorten(body)));
        List<String> installed = List.of("{\"version\":\"1\\u00000\"}", "{\"version\":\"" + LONG + "\"}",
                "{\"version\":\"1.0\",\"releaseId\":\"a\\u0000\"}", "{\"version\":\"1.0\",\"releaseId\":\"../x\"}",
                "{\"version\":\"1.0\",\"releaseId\":\"" + "r".repeat(300) + "\"}", "{}", "{\"version\":\"\"}",
                "{\"version\":\"a\\r\\nb\"}", "{\"version\":{\"x\":1}}", "{", "[]");
        installed.forEach(body -> ddi("PUT", a + "/installedBase", body, tokenA, Credential.VALID,
                "DDI installedBase " + shorten(body)));
        List<String> health = List.of("{\"bootOk\":true,\"crashCount\":-1,\"appHealthy\":true}",
                "{\"bootOk\":true,\"crashCount\":\"abc\",\"appHealthy\":true}",
                "{\"bootOk\":\"x\",\"crashCount\":0,\"appHealthy\":true}", "{\"crashCount\":0,\"appHealthy\":true}",
                "{\"bootOk\":true,\"crashCount\":99999999999999999999,\"appHealthy\":true}",
                "{\"bootOk\":true,\"crashCount\":0,\"appHealthy\":true,\"metrics\":{\"\\u0000\":1}}",
                "{\"bootOk\":true,\"crashCount\":0,\"appHealthy\":true,\"metrics\":{\"" + LONG + "\":1}}",
                "{\"bootOk\":true,\"crashCount\":0,\"appHealthy\":true,\"metrics\":\"x\"}", "{", "", "[]");
        health.forEach(body -> ddi("POST", a + "/health", body, tokenA, Credential.VALID,
                "DDI health " + shorten(body)));
        long action = targets.actionB();
        List<String> feedback = List.of("{\"id\":1}", "{\"status\":{\"execution\":\"bogus\"}}",
                "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"bogus\"}}}",
                "{\"status\":{\"execution\":\"\\u0000\"}}", "{\"status\":\"x\"}",
                "{\"status\":{\"execution\":[\"closed\"]}}", "{", "", "[]", "null");
        for (String body : feedback) {
            ddi("POST", b + "/deploymentBase/" + action + "/feedback", body, tokenB, Credential.VALID,
                    "DDI feedback " + shorten(body));
            ddi("POST", b + "/cancelAction/" + action + "/feedback", body, tokenB, Credential.VALID,
                    "DDI cancel feedback " + shorten(body));
        }
        for (String id : List.of("abc", "-1", "99999999999999999999", "1e3", "%00", "1%2F2", "0x10", "1.5", "%20",
                "x".repeat(300))) {
            ddi("GET", b + "/deploymentBase/" + id, null, tokenB, Credential.VALID, "DDI actionId " + shorten(id));
            ddi("GET", b + "/cancelAction/" + id, null, tokenB, Credential.VALID, "DDI cancel actionId " + shorten(id));
            ddi("GET", b + "/installedBase/" + id, null, tokenB, Credential.VALID, "DDI installed actionId "
                    + shorten(id));
            ddi("POST", b + "/deploymentBase/" + id + "/feedback", ddiEndpoints().get(2).body(), tokenB,
                    Credential.VALID, "DDI feedback actionId " + shorten(id));
            ddi("GET", b + "/softwaremodules/" + id + "/artifacts", null, tokenB, Credential.VALID,
                    "DDI module " + shorten(id));
        }
        String artifacts = b + "/softwaremodules/" + targets.artifactModule() + "/artifacts/";
        for (String file : List.of("..", "%2E%2E", "a%2Fb", "%00", "x".repeat(300), "..%2F..%2Fetc%2Fpasswd",
                "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.MD5SUM", "nope.swu", "nope.swu.MD5SUM", "%252E%252E")) {
            ddi("GET", artifacts + file, null, tokenB, Credential.VALID, "DDI artifact file " + shorten(file));
        }
    }

    private void ddi(String method, String target, String body, String authorization, Credential credential,
            String label) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/hal+json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        requests.add(new RawRequest("device-gateway", targets.ports().get("device-gateway"), method, target, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), credential, Expectation.REFUSED, label));
    }

    // ---------------------------------------------------------------- helpers

    private void add(String service, String method, String target, Map<String, String> headers, byte[] body,
            Credential credential, Expectation expectation, String label) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("Accept", "application/json");
        String token = switch (credential) {
            case VALID -> targets.adminToken();
            case WRONG_ROLE -> targets.viewerToken();
            case FORGED -> targets.forgedToken();
            case EXPIRED -> targets.expiredToken();
            case WRONG_AUDIENCE -> targets.otherAudienceToken();
            case MALFORMED -> "not.a.jwt";
            default -> null;
        };
        if (token != null) {
            all.put("Authorization", "Bearer " + token);
        }
        requests.add(new RawRequest(service, targets.ports().get(service), method, target, all, body, credential,
                expectation, label));
    }

    private static Map<String, String> jsonHeaders(JsonNode body) {
        return body == null ? Map.of() : Map.of("Content-Type", "application/json");
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return body == null ? null : JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }
}
