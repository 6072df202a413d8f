package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.ActionType;
import io.updraft.testsupport.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our JSON against responses captured from a running hawkBit (src/test/resources/ddi-samples, copied from
 * shared/ddi-samples): every field path hawkBit sends is there, with the same JSON type (a number stays a number).
 */
@QuarkusTest
class DdiConformanceIT extends GatewayTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenNothingNew_whenPolled_thenTheShapeOfHawkbitsAnswer() throws IOException {
        DdiDevice device = DdiDevice.random();

        JsonNode ours = JSON.readTree(device.request().get(device.path()).then().statusCode(200).extract().asString());

        assertThat(shape(ours)).isEqualTo(shape(sample("poll_nothing_new.json")));
        assertThat(ours.path("config").path("polling").path("sleep").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void givenPendingAction_whenPolledAndFetched_thenTheShapesOfHawkbitsAnswers() throws IOException {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null,
                List.of(Commands.artifact("os", "fw-1.0.swu"))));
        device.poll();
        eventually().until(() -> device.offeredDeployment() != null);

        JsonNode poll = JSON.readTree(device.request().get(device.path()).then().statusCode(200).extract().asString());
        JsonNode deployment = JSON.readTree(device.request().get(device.path() + "/deploymentBase/" + actionId)
                .then().statusCode(200).extract().asString());

        assertThat(shape(poll)).isEqualTo(shape(sample("poll_with_action.json")));
        // ours adds the https link names (download, md5sum) and actionHistory; everything hawkBit sends is there
        assertThat(shape(deployment)).containsAll(shape(sample("deploymentBase.json")));
        assertThat(poll.path("_links").path("deploymentBase").path("href").asText())
                .matches(".*/deploymentBase/" + actionId + "\\?c=-?\\d+");
    }

    private static JsonNode sample(String name) throws IOException {
        try (InputStream in = DdiConformanceIT.class.getResourceAsStream("/ddi-samples/" + name)) {
            return JSON.readTree(in);
        }
    }

    /** Every field path with its JSON type, e.g. {@code deployment.chunks[].artifacts[].size:NUMBER}. */
    static Set<String> shape(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect("", node, paths);
        return paths;
    }

    private static void collect(String path, JsonNode node, Set<String> paths) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), paths);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(path + "[]", element, paths));
        } else {
            paths.add(path + ":" + node.getNodeType());
        }
    }
}
