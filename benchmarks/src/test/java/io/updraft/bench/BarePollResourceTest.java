package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BarePollResourceTest {

    @Test
    void answersTheGatewaysNothingNewJsonAsItsConstantBytes() throws Exception {
        JsonNode answer = new ObjectMapper().readTree(new BarePollResource().poll("DEFAULT", "bench-0000001"));

        assertThat(answer.at("/config/polling/sleep").asText()).isEqualTo("00:05:00");
        assertThat(answer.path("_links").isObject()).isTrue();
        assertThat(answer.path("_links").size()).isZero();
        assertThat(answer.size()).isEqualTo(2);
        // the gateway's DdiPollWriter writes the same shape, without spaces (its DdiPollWriterTest compares with Jackson)
        assertThat(BarePollResource.NOTHING_NEW).doesNotContain(" ");
    }
}
