package io.updraft.launcher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON text to a Jackson tree with jackson-core's parser alone: the same nodes {@code new ObjectMapper().readTree(text)}
 * gives (ints, longs and big integers as such, decimals as doubles, a duplicate key's last value, what follows the
 * first value ignored, {@link MissingNode} for no content) without building an {@code ObjectMapper}, whose
 * configuration (its date format's calendar and locale data, the (de)serializer factories) costs a CLI call ~40-60 ms
 * before its first request. {@code JsonTreesTest} compares both on the APIs' shapes.
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** The first JSON value of {@code text}; a syntax error is a {@link com.fasterxml.jackson.core.JsonParseException}. */
    public static JsonNode read(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return MissingNode.getInstance();
            }
            return value(parser, token);
        }
    }

    /** An empty object node, as {@code ObjectMapper.createObjectNode()}. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    private static JsonNode value(JsonParser parser, JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            return scalar(parser, first);
        }
        // iterative, so a deeply nested document cannot overflow the stack (the parser's own nesting limit applies)
        Deque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = first == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        open.push(root);
        String field = null;
        while (!open.isEmpty()) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of JSON");
            }
            JsonNode container = open.peek();
            switch (token) {
                case END_OBJECT, END_ARRAY -> open.pop();
                case FIELD_NAME -> field = parser.currentName();
                default -> {
                    JsonNode child = switch (token) {
                        case START_OBJECT -> NODES.objectNode();
                        case START_ARRAY -> NODES.arrayNode();
                        default -> scalar(parser, token);
                    };
                    if (container instanceof ObjectNode object) {
                        object.replace(field, child);
                    } else {
                        ((ArrayNode) container).add(child);
                    }
                    if (child.isContainerNode()) {
                        open.push(child);
                    }
                }
            }
        }
        return root;
    }

    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> switch (parser.getNumberType()) {
                case BIG_DECIMAL -> NODES.numberNode(parser.getDecimalValue());
                case FLOAT -> NODES.numberNode(parser.getFloatValue());
                default -> NODES.numberNode(parser.getDoubleValue());
            };
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected " + token);
        };
    }
}
