package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeUpdateTest {
    private static final Map<String, String> STORED = Map.of("model", "board", "revision", "1.0");

    @Test
    void givenStoredAttributes_whenEachModeApplied_thenWholeResultingSet() {
        assertThat(AttributeUpdate.MERGE.apply(STORED, Map.of("revision", "2.0", "serial", "7")))
                .isEqualTo(Map.of("model", "board", "revision", "2.0", "serial", "7"));
        assertThat(AttributeUpdate.REPLACE.apply(STORED, Map.of("serial", "7"))).isEqualTo(Map.of("serial", "7"));
        assertThat(AttributeUpdate.REMOVE.apply(STORED, Map.of("revision", ""))).isEqualTo(Map.of("model", "board"));
    }

    @Test
    void givenModeNames_whenParsed_thenMissingMeansMergeAndUnknownIsRefused() {
        assertThat(AttributeUpdate.parse(null)).contains(AttributeUpdate.MERGE);
        assertThat(AttributeUpdate.parse("Replace")).contains(AttributeUpdate.REPLACE);
        assertThat(AttributeUpdate.parse("shuffle")).isEmpty();
    }
}
