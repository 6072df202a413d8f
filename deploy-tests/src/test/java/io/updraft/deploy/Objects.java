package io.updraft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Finding things in rendered objects. */
final class Objects {
    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    static JsonNode get(List<JsonNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    static List<String> fieldNames(JsonNode object) {
        return object == null ? List.of()
                : StreamSupport.stream(((Iterable<String>) object::fieldNames).spliterator(), false).toList();
    }

    /** The one container of a service's Deployment. */
    static JsonNode container(List<JsonNode> objects, String service) {
        JsonNode deployment = get(objects, "Deployment", service);
        List<JsonNode> containers = list(deployment.at("/spec/template/spec/containers"));
        if (containers.size() != 1) {
            throw new AssertionError("Deployment " + service + " should have one container, has " + containers.size());
        }
        return containers.get(0);
    }

    private Objects() {
    }
}
