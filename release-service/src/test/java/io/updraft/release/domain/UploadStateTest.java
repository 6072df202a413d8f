package io.updraft.release.domain;

import static io.updraft.release.domain.UploadState.CREATED;
import static io.updraft.release.domain.UploadState.RECEIVED;
import static io.updraft.release.domain.UploadState.RECEIVING;
import static io.updraft.release.domain.UploadState.USED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UploadStateTest {
    private static final Map<UploadState, Set<UploadState>> ALLOWED = Map.of(
            CREATED, EnumSet.of(RECEIVING),
            RECEIVING, EnumSet.of(CREATED, RECEIVED),
            RECEIVED, EnumSet.of(USED),
            USED, EnumSet.noneOf(UploadState.class));

    @Test
    void everyPairOfStates_isAllowedExactlyWhenTheLifeOfAnUploadSaysSo() {
        for (UploadState from : UploadState.values()) {
            for (UploadState to : UploadState.values()) {
                assertThat(from.canBecome(to)).as(from + " → " + to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }
}
