package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InventoryLoaderTest {

    @Test
    void devicesAreSplitIntoTheCohortsByTheirShares() {
        Map<String, Integer> sizes = new TreeMap<>();
        for (int i = 0; i < 1_000; i++) {
            sizes.merge(InventoryLoader.cohortOf(i, 1_000).name(), 1, Integer::sum);
        }

        assertThat(sizes).containsExactlyInAnyOrderEntriesOf(Map.of("gw-100:1.0", 400, "gw-100:2.0", 250,
                "gw-200:1.0", 200, "gw-300:A", 150));
    }
}
