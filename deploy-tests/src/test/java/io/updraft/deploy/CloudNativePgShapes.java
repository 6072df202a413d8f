package io.updraft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal hand-written check of CloudNativePG objects (no typed model of its CRDs is on Maven Central): the part of
 * the {@code postgresql.cnpg.io/v1} schema (Cluster, Database; CloudNativePG 1.25+) that Updraft's manifests and
 * overlays use — field names, nesting and value types. A field outside this subset fails, so it has to be added here
 * deliberately, against the CloudNativePG API reference.
 */
final class CloudNativePgShapes {
    private static final String STRING = "string";
    private static final String INT = "int";
    private static final String BOOL = "bool";
    private static final String QUANTITY = "quantity";
    private static final String STRING_MAP = "string-map";

    private static final Map<String, Object> SECRET_REF = Map.of("name", STRING);
    private static final Map<String, Object> RESOURCES = Map.of(
            "requests", Map.of("cpu", QUANTITY, "memory", QUANTITY),
            "limits", Map.of("cpu", QUANTITY, "memory", QUANTITY));
    private static final Map<String, Object> STORAGE = Map.of("size", QUANTITY, "storageClass", STRING);
    private static final Map<String, Object> ROLE = Map.of("name", STRING, "ensure", Set.of("present", "absent"),
            "login", BOOL, "superuser", BOOL, "createdb", BOOL, "createrole", BOOL, "inherit", BOOL,
            "connectionLimit", INT, "comment", STRING, "passwordSecret", SECRET_REF);
    static final Map<String, Object> CLUSTER_SPEC = Map.ofEntries(
            Map.entry("description", STRING),
            Map.entry("instances", INT),
            Map.entry("imageName", STRING),
            Map.entry("primaryUpdateStrategy", Set.of("unsupervised", "supervised")),
            Map.entry("storage", STORAGE),
            Map.entry("walStorage", STORAGE),
            Map.entry("resources", RESOURCES),
            Map.entry("postgresql", Map.of("parameters", STRING_MAP)),
            Map.entry("bootstrap", Map.of("initdb", Map.of("database", STRING, "owner", STRING, "secret", SECRET_REF))),
            Map.entry("managed", Map.of("roles", List.of(ROLE))),
            Map.entry("monitoring", Map.of("enablePodMonitor", BOOL)),
            Map.entry("affinity", Map.of("enablePodAntiAffinity", BOOL, "topologyKey", STRING)));
    static final Map<String, Object> DATABASE_SPEC = Map.of("cluster", Map.of("name", STRING), "name", STRING,
            "owner", STRING, "ensure", Set.of("present", "absent"), "databaseReclaimPolicy", Set.of("retain", "delete"));
    private static final Map<String, Object> METADATA = Map.of("name", STRING, "namespace", STRING,
            "labels", STRING_MAP, "annotations", STRING_MAP);

    static boolean covers(JsonNode object) {
        return object.path("apiVersion").asText().equals("postgresql.cnpg.io/v1");
    }

    /** @return what is wrong, empty when the object fits */
    static List<String> check(JsonNode object) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> spec = switch (object.path("kind").asText()) {
            case "Cluster" -> CLUSTER_SPEC;
            case "Database" -> DATABASE_SPEC;
            default -> null;
        };
        if (spec == null) {
            problems.add(Objects.id(object) + ": no hand-written check for postgresql.cnpg.io/v1 " + object.path("kind").asText());
            return problems;
        }
        check(Objects.id(object), object, Map.of("apiVersion", STRING, "kind", STRING, "metadata", METADATA, "spec", spec),
                problems);
        for (String required : spec == CLUSTER_SPEC ? List.of("instances", "storage") : List.of("cluster", "name", "owner")) {
            if (!object.path("spec").has(required)) {
                problems.add(Objects.id(object) + ": spec." + required + " is required");
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static void check(String path, JsonNode node, Object shape, List<String> problems) {
        if (shape instanceof Map<?, ?> fields) {
            if (!node.isObject()) {
                problems.add(path + ": expected an object");
                return;
            }
            for (String field : Objects.fieldNames(node)) {
                Object fieldShape = fields.get(field);
                if (fieldShape == null) {
                    problems.add(path + "." + field + ": unknown field");
                } else {
                    check(path + "." + field, node.get(field), fieldShape, problems);
                }
            }
        } else if (shape instanceof List<?> items) {
            if (!node.isArray()) {
                problems.add(path + ": expected a list");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                check(path + "[" + i + "]", node.get(i), items.get(0), problems);
            }
        } else if (shape instanceof Set<?> allowed) {
            if (!node.isTextual() || !allowed.contains(node.asText())) {
                problems.add(path + ": must be one of " + allowed + ", is " + node);
            }
        } else {
            boolean ok = switch ((String) shape) {
                case STRING -> node.isTextual();
                case INT -> node.isIntegralNumber();
                case BOOL -> node.isBoolean();
                case QUANTITY -> node.isNumber() || node.isTextual() && node.asText().matches("[0-9.]+([numkKMGTPE]i?)?");
                case STRING_MAP -> node.isObject() && Objects.fieldNames(node).stream().allMatch(k -> node.get(k).isTextual());
                default -> false;
            };
            if (!ok) {
                problems.add(path + ": expected " + shape + ", is " + node);
            }
        }
    }

    private CloudNativePgShapes() {
    }
}
