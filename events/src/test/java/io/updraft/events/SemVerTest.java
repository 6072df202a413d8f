package io.updraft.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    /** SemVer 2.0 §11's own example chain, extended with longer numbers and build metadata. */
    static final List<String> KEY_CHAIN = List.of("0.0.1", "0.9.0", "0.10.0", "1.0.0-0", "1.0.0-0.3.7",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0-x-y-z", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "10.0.0",
            "12345678901.0.0");

    @Test
    void given_the_specification_chain_when_sorted_by_key_then_precedence_order_holds() {
        List<String> shuffled = new ArrayList<>(KEY_CHAIN);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort((a, b) -> SemVer.sortKey(a).compareTo(SemVer.sortKey(b)));
        assertThat(shuffled).containsExactlyElementsOf(KEY_CHAIN);
        for (int i = 1; i < KEY_CHAIN.size(); i++) {
            assertThat(SemVer.compare(KEY_CHAIN.get(i - 1), KEY_CHAIN.get(i))).as(KEY_CHAIN.get(i)).isNegative();
        }
    }

    @Test
    void given_build_metadata_then_it_does_not_change_precedence() {
        assertThat(SemVer.compare("1.0.0+build.7", "1.0.0")).isZero();
        assertThat(SemVer.compare("1.0.0-rc.1+exp.sha.5114f85", "1.0.0-rc.1")).isZero();
        assertThat(SemVer.sortKey("2.0.0")).isEqualTo("012010010~");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1", "1.0", "1.0.0.0", "01.0.0", "1.00.0", "v1.0.0", "1.0.0-", "1.0.0-01",
            "1.0.0-a..b", "1.0.0+", "1.0.0-a_b", " 1.0.0", "-1.0.0" })
    void given_something_that_is_not_semver_then_it_has_no_key(String version) {
        assertThat(SemVer.sortKey(version)).isNull();
        assertThat(SemVer.isValid(version)).isFalse();
    }

    @Test
    void given_null_then_it_has_no_key() {
        assertThat(SemVer.sortKey(null)).isNull();
    }
}
