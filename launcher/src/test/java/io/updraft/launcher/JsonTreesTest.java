package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTrees#read} gives the tree {@code ObjectMapper.readTree} gives — node for node, node classes included —
 * on the APIs' document shapes and on JSON's corners; the CLI reads every answer with it.
 */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void givenDocumentsOfEveryKind_whenRead_thenTheTreeIsTheObjectMappersNodeForNode() throws IOException {
        List<String> documents = List.of(
                """
                {"id":"3f2c6a1e-0000-4000-8000-000000000001","name":"fw-1.2.0","state":"RUNNING","currentWave":1,
                 "waves":[{"wave":1,"devices":10,"succeeded":4,"errorThreshold":0.05,"approval":false}],
                 "cohorts":[],"startAt":null,"labels":{"site":"field","k\\"q":"a\\u00e9\\n"}}""",
                "[{\"id\":\"r-1\",\"size\":5000000000,\"big\":123456789012345678901234567890}]",
                "[1, -2147483648, 2147483648, 9223372036854775808, 1.5, -0.0, 1e400, 2.5E-3, true, false, null]",
                "\"text\"", "42", "3.25", "null", "true", "{}", "[]", "[[[]], {\"a\": {\"b\": [{}]}}]",
                "{\"dup\": 1, \"dup\": [2]}", "{\"a\": 1} trailing", "  \n ", "");
        for (String document : documents) {
            JsonNode expected = MAPPER.readTree(document);
            JsonNode actual = JsonTrees.read(document);
            assertThat(actual).as(document).isEqualTo(expected);
            assertSameClasses(document, actual, expected);
        }
    }

    @Test
    void givenTextThatIsNoJson_whenRead_thenItIsAnIoExceptionAsTheObjectMappersIs() {
        for (String broken : List.of("{\"a\": ", "[1, 2", "{\"a\" 1}", "nope", "{\"a\": 1]")) {
            assertThatThrownBy(() -> MAPPER.readTree(broken)).as(broken).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> JsonTrees.read(broken)).as(broken).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void givenAnEmptyObject_whenFilled_thenItWritesAsTheObjectMappersDoes() {
        assertThat(JsonTrees.object().put("name", "x").toString())
                .isEqualTo(MAPPER.createObjectNode().put("name", "x").toString());
    }

    private static void assertSameClasses(String document, JsonNode actual, JsonNode expected) {
        assertThat(actual.getClass()).as(document + " at " + expected).isEqualTo(expected.getClass());
        assertThat(actual.size()).as(document).isEqualTo(expected.size());
        if (expected.isObject()) {
            expected.fieldNames().forEachRemaining(name ->
                    assertSameClasses(document, actual.get(name), expected.get(name)));
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertSameClasses(document, actual.get(i), expected.get(i));
            }
        }
    }
}
