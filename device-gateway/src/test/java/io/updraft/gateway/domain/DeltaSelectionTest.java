package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.ArtifactRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaSelectionTest {
    private static final ArtifactRef FULL = ref(1, "os", "fw.swu", "full");
    private static final ArtifactRef UNSAID = ref(2, "os", "fw-extra.swu", null);
    private static final ArtifactRef DELTA = ref(3, "os", "fw-delta.swu", "delta");
    private static final ArtifactRef ZCK = ref(4, "os", "rootfs.ext4.zck", null);
    private static final ArtifactRef ZCK_SAID_FULL = ref(5, "os", "other.ZCK", "full");
    private static final ArtifactRef APP_FULL = ref(6, "app", "app.swu", null);
    private static final ArtifactRef APP_ZCK = ref(7, "app", "app.img.zck", "delta-source");

    @Test
    void givenAPlainDevice_thenOnlyFullFilesNeverAZckOrADelta() {
        assertThat(DeltaSelection.offered(List.of(FULL, UNSAID, DELTA, ZCK, ZCK_SAID_FULL, APP_FULL, APP_ZCK), false))
                .containsExactly(FULL, UNSAID, APP_FULL);
    }

    @Test
    void givenADeltaDevice_thenPerPartTheDeltaFilesOnlyWhereThereAreAnyElseEverything() {
        assertThat(DeltaSelection.offered(List.of(FULL, DELTA, ZCK, APP_FULL, APP_ZCK), true))
                .containsExactly(DELTA, APP_FULL, APP_ZCK);
        assertThat(DeltaSelection.offered(List.of(FULL, ZCK, UNSAID), true)).containsExactly(FULL, ZCK, UNSAID);
    }

    @Test
    void onlyUpdateDeltaZchunkMakesADeltaDevice() {
        assertThat(DeltaSelection.canUseDelta(Map.of("update.delta", "zchunk"))).isTrue();
        assertThat(DeltaSelection.canUseDelta(Map.of("update.delta", "ZCHUNK"))).isFalse();
        assertThat(DeltaSelection.canUseDelta(Map.of("update.delta", "bsdiff"))).isFalse();
        assertThat(DeltaSelection.canUseDelta(Map.of("model", "gw-100"))).isFalse();
        assertThat(DeltaSelection.canUseDelta(Map.of())).isFalse();
        assertThat(DeltaSelection.canUseDelta(null)).isFalse();
    }

    private static ArtifactRef ref(long id, String part, String filename, String role) {
        return new ArtifactRef(id, part, filename, 10, "s" + id, "s1", "m5", role);
    }
}
