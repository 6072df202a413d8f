package io.updraft.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.gateway.api.ddi.DdiLink;
import io.updraft.gateway.api.ddi.DdiPoll;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DdiPollWriterTest {
    private final ObjectMapper jackson = new ObjectMapper();
    private final DdiPollWriter writer = new DdiPollWriter(jackson);

    @ParameterizedTest
    @ValueSource(strings = { "00:05:00", "00:04:31", "23:59:59", "00:00:01" })
    void givenNothingNew_whenWritten_thenTheBytesAreJacksons(String sleep) throws Exception {
        DdiPoll poll = new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling(sleep)), Map.of());

        byte[] ours = writer.bytes(poll);

        assertThat(new String(ours, StandardCharsets.UTF_8))
                .isEqualTo(new String(jackson.writeValueAsBytes(poll), StandardCharsets.UTF_8))
                .isEqualTo("{\"config\":{\"polling\":{\"sleep\":\"" + sleep + "\"}},\"_links\":{}}");
    }

    @Test
    void givenLinks_whenWritten_thenJacksonWritesThem() throws Exception {
        Map<String, DdiLink> links = new LinkedHashMap<>();
        links.put("deploymentBase", new DdiLink("http://gw/DEFAULT/controller/v1/d\"1/deploymentBase/7?c=ab"));
        links.put("configData", new DdiLink("http://gw/DEFAULT/controller/v1/d\"1/configData"));
        DdiPoll poll = new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling("00:00:30")), links);

        assertThat(writer.bytes(poll)).isEqualTo(jackson.writeValueAsBytes(poll));
    }

    @Test
    void givenASleepThatIsNotAClock_whenWritten_thenJacksonEscapesIt() throws Exception {
        DdiPoll poll = new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling("0\":05:0")), Map.of());

        assertThat(writer.bytes(poll)).isEqualTo(jackson.writeValueAsBytes(poll));
    }
}
