package io.updraft.release.domain;

import static io.updraft.release.domain.ReleaseState.DRAFT;
import static io.updraft.release.domain.ReleaseState.PUBLISHED;
import static io.updraft.release.domain.ReleaseState.REVOKED;
import static io.updraft.release.domain.ReleaseState.STABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleaseStateTest {
    private static final Map<ReleaseState, Set<ReleaseState>> ALLOWED = Map.of(
            DRAFT, EnumSet.of(PUBLISHED, REVOKED),
            PUBLISHED, EnumSet.of(STABLE, REVOKED),
            STABLE, EnumSet.of(REVOKED),
            REVOKED, EnumSet.noneOf(ReleaseState.class));

    @Test
    void givenEveryPairOfStates_whenAskingForATransition_thenOnlyPublishingPromotionAndRevocationAreAllowed() {
        for (ReleaseState from : ReleaseState.values()) {
            for (ReleaseState to : ReleaseState.values()) {
                assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
        assertThat(ALLOWED.keySet()).containsExactlyInAnyOrder(ReleaseState.values());
        assertThat(Arrays.stream(ReleaseState.values()).filter(s -> s.canBecome(s))).isEmpty();
    }

    @Test
    void givenEveryState_whenAskingWhetherDevicesGetIt_thenOnlyPublishedAndStable() {
        assertThat(Arrays.stream(ReleaseState.values()).filter(ReleaseState::isOffered))
                .containsExactly(PUBLISHED, STABLE);
    }
}
