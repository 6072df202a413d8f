package io.updraft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The schemas an API server of the oldest Kubernetes we support (1.34), with the pinned operators' CRDs installed,
 * would check a manifest against — read from the verbatim copies in {@code deploy/vendor} (SOURCES.md) and applied
 * with networknt's JSON Schema validator (draft 4: the dialect OpenAPI v2 and the CRDs' OpenAPI v3 subset share).
 *
 * <ul>
 * <li>A custom resource is checked against the {@code openAPIV3Schema} of the version its apiVersion names, in the
 * vendored CRD of its group and kind. No such CRD, no such version, or a version the CRD does not serve
 * ({@code served: false}, or removed like Strimzi's {@code v1beta2}) is an error: the API server would refuse it.</li>
 * <li>A built-in kind is checked against the Kubernetes 1.34 OpenAPI definition whose
 * {@code x-kubernetes-group-version-kind} names it; an apiVersion/kind 1.34 does not serve is an error.</li>
 * </ul>
 *
 * Strictness where the API server is strict: {@code kubectl apply} validates fields server-side by default
 * ({@code --validate=strict}), refusing an unknown field. The published definitions do not say so in JSON Schema
 * terms (no {@code additionalProperties: false}), so every object schema that lists its properties gets
 * {@code additionalProperties: false} here — built-ins and CRDs alike — except where a CRD marks a subtree
 * {@code x-kubernetes-preserve-unknown-fields} (e.g. Strimzi's free-form {@code config}), which stays open.
 * Translated as the API server reads them: {@code nullable}, {@code x-kubernetes-int-or-string}, {@code IntOrString}
 * and {@code Quantity} (a string or a number), {@code x-kubernetes-list-type: set} (unique items). Not evaluated:
 * CEL rules ({@code x-kubernetes-validations}), uniqueness of list-map keys, and string formats other than
 * int32/int64 (the JSON Schema meanings of e.g. {@code duration} differ from Kubernetes').
 */
final class KubernetesSchemas {
    static final String KUBERNETES_VERSION = "1.34";
    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    /** resource.Quantity's own grammar (apimachinery quantity.go), loosely: number, optional suffix or exponent */
    private static final String QUANTITY_PATTERN = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$";
    /** schema keywords kept; everything else (descriptions, examples, x-kubernetes-* hints) is dropped */
    private static final Set<String> ASSERTIONS = Set.of("$ref", "type", "required", "enum", "pattern", "minimum",
            "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
            "uniqueItems", "minProperties", "maxProperties", "multipleOf");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static volatile KubernetesSchemas vendored;

    private final Map<String, JsonNode> definitions;
    /** "group/version/kind" of a built-in → its definition's name */
    private final Map<String, String> builtIns = new HashMap<>();
    /** "group/kind" → CRD */
    private final Map<String, JsonNode> crds = new HashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    KubernetesSchemas(Path vendor) {
        definitions = kubernetesDefinitions(vendor);
        definitions.forEach((name, definition) -> Objects.list(definition.get("x-kubernetes-group-version-kind"))
                .forEach(gvk -> builtIns.putIfAbsent(gvk.path("group").asText() + "/" + gvk.path("version").asText()
                        + "/" + gvk.path("kind").asText(), name)));
        try (Stream<Path> files = Files.walk(vendor)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : Kustomize.parse(Files.readString(file))) {
                    if (doc.path("kind").asText().equals("CustomResourceDefinition")) {
                        crds.put(doc.at("/spec/group").asText() + "/" + doc.at("/spec/names/kind").asText(), doc);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schemas vendored in deploy/vendor, read once per test JVM. */
    static KubernetesSchemas vendored() {
        if (vendored == null) {
            synchronized (KubernetesSchemas.class) {
                if (vendored == null) {
                    vendored = new KubernetesSchemas(Repo.deploy().resolve("vendor"));
                }
            }
        }
        return vendored;
    }

    /** @return what the API server would refuse in this object, each naming the object and the place; empty if none */
    List<String> problems(JsonNode object) {
        String key = key(object);
        Schema schema;
        try {
            schema = compiled.computeIfAbsent(key, k -> compile(object));
        } catch (UnknownKind e) {
            return List.of(Objects.id(object) + " (" + key + "): " + e.getMessage());
        }
        List<Error> errors = schema.validate(json(object), InputFormat.JSON);
        return errors.stream().map(e -> Objects.id(object) + " (" + key + ") " + e).toList();
    }

    /** "apiVersion/kind", e.g. {@code kafka.strimzi.io/v1/Kafka}, {@code v1/Service} */
    static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    private Schema compile(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);

        JsonNode crd = crds.get(group + "/" + kind);
        if (crd != null) {
            JsonNode served = Objects.list(crd.at("/spec/versions")).stream()
                    .filter(v -> v.path("name").asText().equals(version)).findFirst()
                    .filter(v -> v.path("served").asBoolean(false))
                    .orElseThrow(() -> new UnknownKind("the vendored CRD " + Objects.name(crd) + " does not serve "
                            + version + " (it serves " + Objects.list(crd.at("/spec/versions")).stream()
                                    .filter(v -> v.path("served").asBoolean(false)).map(v -> v.path("name").asText())
                                    .toList() + ")"));
            ObjectNode root = normalize(served.at("/schema/openAPIV3Schema"), false);
            // the API server checks a custom resource's metadata as ObjectMeta, whatever the CRD says of it
            ((ObjectNode) root.get("properties")).set("metadata", ref(OBJECT_META));
            root.set("definitions", closure(OBJECT_META));
            return registry.getSchema(root.toString(), InputFormat.JSON);
        }
        String definition = builtIns.get(group + "/" + version + "/" + kind);
        if (definition == null) {
            boolean crdGroup = crds.keySet().stream().anyMatch(k -> k.startsWith(group + "/"));
            throw new UnknownKind(crdGroup || group.contains(".") && !group.endsWith(".k8s.io")
                    ? "no vendored CRD for " + group + " " + kind + " (deploy/vendor/SOURCES.md)"
                    : "not a kind Kubernetes " + KUBERNETES_VERSION + " serves");
        }
        ObjectNode root = JSON.objectNode();
        root.put("$ref", "#/definitions/" + definition);
        root.set("definitions", closure(definition));
        return registry.getSchema(root.toString(), InputFormat.JSON);
    }

    /** The named definition and every definition it refers to, directly or not, normalised. */
    private ObjectNode closure(String start) {
        ObjectNode out = JSON.objectNode();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (out.has(name)) {
                continue;
            }
            JsonNode definition = definitions.get(name);
            if (definition == null) {
                throw new IllegalStateException("the Kubernetes definitions refer to " + name + " but do not define it");
            }
            ObjectNode normalized = switch (name) {
                case INT_OR_STRING -> anyOf(JSON.objectNode().put("type", "integer"), JSON.objectNode().put("type", "string"));
                case QUANTITY -> anyOf(JSON.objectNode().put("type", "number"),
                        JSON.objectNode().put("type", "string").put("pattern", QUANTITY_PATTERN));
                default -> normalize(definition, false);
            };
            out.set(name, normalized);
            references(normalized).forEach(todo::push);
        }
        return out;
    }

    private static Set<String> references(JsonNode schema) {
        Set<String> out = new LinkedHashSet<>();
        if (schema.isObject()) {
            JsonNode ref = schema.get("$ref");
            if (ref != null && ref.isTextual()) {
                out.add(ref.asText().substring("#/definitions/".length()));
            }
            schema.forEach(child -> out.addAll(references(child)));
        } else if (schema.isArray()) {
            schema.forEach(child -> out.addAll(references(child)));
        }
        return out;
    }

    /**
     * The schema as the API server applies it, in plain JSON Schema: assertions kept, annotations dropped, the
     * Kubernetes extensions translated, and unknown fields refused where the schema lists the known ones.
     *
     * @param branch whether this schema is one branch of allOf/anyOf/oneOf/not — such a branch only adds
     *        constraints to the object schema around it, so it must not close that object to other fields
     */
    private static ObjectNode normalize(JsonNode schema, boolean branch) {
        ObjectNode out = JSON.objectNode();
        schema.fields().forEachRemaining(field -> {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            switch (keyword) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), normalize(p.getValue(), false)));
                }
                case "items", "additionalProperties" -> out.set(keyword, value.isObject() ? normalize(value, false) : value);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode branches = out.putArray(keyword);
                    value.forEach(b -> branches.add(normalize(b, true)));
                }
                case "not" -> out.set(keyword, normalize(value, true));
                case "format" -> {
                    if (value.asText().equals("int32") || value.asText().equals("int64")) {
                        out.set(keyword, value);
                    }
                }
                default -> {
                    if (ASSERTIONS.contains(keyword)) {
                        out.set(keyword, value);
                    }
                }
            }
        });
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            out.remove("type");
            if (!out.has("anyOf")) {
                out.setAll(anyOf(JSON.objectNode().put("type", "integer"), JSON.objectNode().put("type", "string")));
            }
        }
        if (schema.path("x-kubernetes-list-type").asText().equals("set")) {
            out.put("uniqueItems", true);   // a set refuses duplicates; list-type map keys are not checked (class doc)
        }
        if (schema.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
            out.set("type", JSON.arrayNode().add(out.get("type").asText()).add("null"));
        }
        // Why: the published schemas list an object's fields but leave it open (no additionalProperties: false),
        // while the API server refuses unknown fields (server-side strict field validation, kubectl's default).
        // Closing every listed object here makes a misspelt or misplaced field fail as it would on apply.
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!branch && !preserveUnknown && out.has("properties") && !out.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    private static ObjectNode anyOf(JsonNode... branches) {
        ObjectNode out = JSON.objectNode();
        ArrayNode array = out.putArray("anyOf");
        for (JsonNode b : branches) {
            array.add(b);
        }
        return out;
    }

    private static ObjectNode ref(String definition) {
        return JSON.objectNode().put("$ref", "#/definitions/" + definition);
    }

    private static String json(JsonNode object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> kubernetesDefinitions(Path vendor) {
        Path swagger = vendor.resolve("kubernetes-" + KUBERNETES_VERSION).resolve("swagger.json.unprocessed.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(swagger))) {
            JsonNode definitions = MAPPER.readTree(in).get("definitions");
            Map<String, JsonNode> out = new HashMap<>();
            definitions.fields().forEachRemaining(d -> out.put(d.getKey(), d.getValue()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kubernetes " + KUBERNETES_VERSION + " definitions " + swagger, e);
        }
    }

    /** the CRDs vendored for a group/kind, for tests that want to look at them */
    Optional<JsonNode> crd(String group, String kind) {
        return Optional.ofNullable(crds.get(group + "/" + kind));
    }

    private static final class UnknownKind extends RuntimeException {
        UnknownKind(String message) {
            super(message);
        }
    }
}
