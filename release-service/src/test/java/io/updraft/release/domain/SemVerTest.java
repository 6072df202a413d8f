package io.updraft.release.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @ValueSource(strings = { "0.0.0", "1.1.0", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
            "1.0.0-x.7.z.92", "1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
            "1.0.0-x-y-z.--", "2.0.0-rc.1+build.7" })
    void givenAVersionFromTheSpec_whenValidating_thenAccepted(String version) {
        assertThat(SemVer.isValid(version)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "1", "1.0", "1.0.0.0", "01.0.0", "1.02.0", "1.0.0-", "1.0.0+", "1.0.0-01",
            "v1.0.0", " 1.0.0", "1.0.0 ", "1.0.0-alpha..1", "1.0.0+build+2", "1.0.0-é", "١.٠.٠" })
    void givenAnythingElse_whenValidating_thenRejected(String version) {
        assertThat(SemVer.isValid(version)).isFalse();
    }

    /** semver.org §11, its own examples in order, plus numbers longer than a long and a 0.x / pre-release mix. */
    private static final List<String> ASCENDING = List.of("0.0.1-0", "0.0.1", "0.9.9", "1.0.0-0", "1.0.0-1",
            "1.0.0-2", "1.0.0-10", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0", "2.1.0", "2.1.1",
            "10.0.0", "99999999999999999999.0.0");

    @Test
    void givenTheSpecsPrecedenceExamples_whenSortingAShuffledCopy_thenTheSpecOrderComesBack() {
        List<SemVer> shuffled = new ArrayList<>(ASCENDING.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new Random(7));

        Collections.sort(shuffled);

        assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(ASCENDING);
    }

    @Test
    void givenEveryPairOfTheExamples_whenComparing_thenTheOrderIsStrictAndAntisymmetric() {
        for (int i = 0; i < ASCENDING.size(); i++) {
            for (int j = 0; j < ASCENDING.size(); j++) {
                int c = SemVer.parse(ASCENDING.get(i)).compareTo(SemVer.parse(ASCENDING.get(j)));
                assertThat(Integer.signum(c)).as(ASCENDING.get(i) + " vs " + ASCENDING.get(j))
                        .isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void givenVersionsThatDifferOnlyInBuildMetadata_whenComparing_thenTheyHaveTheSamePrecedence() {
        SemVer a = SemVer.parse("1.0.0+build.1");
        SemVer b = SemVer.parse("1.0.0+build.2");

        assertThat(a.samePrecedence(b)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(SemVer.parse("1.0.0-rc.1+x").compareTo(SemVer.parse("1.0.0"))).isNegative();
        assertThat(SemVer.parse("1.0.0-rc.1").isPreRelease()).isTrue();
    }

    @Test
    void givenSomethingThatIsNotSemVer_whenParsing_thenRejected() {
        assertThatThrownBy(() -> SemVer.parse("1.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemVer.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
