package io.updraft.rollout.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {
    /** SemVer 2.0 §11's own example chain, extended with longer numbers and build metadata. */
    static final List<String> ASCENDING = List.of("0.0.1", "0.9.0", "0.10.0", "1.0.0-0", "1.0.0-0.3.7",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0-x-y-z", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "10.0.0",
            "12345678901.0.0");

    @Test
    void given_the_specification_chain_when_sorted_by_key_then_precedence_order_holds() {
        List<String> shuffled = new ArrayList<>(ASCENDING);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort((a, b) -> SemVer.sortKey(a).compareTo(SemVer.sortKey(b)));
        assertThat(shuffled).containsExactlyElementsOf(ASCENDING);
        for (int i = 1; i < ASCENDING.size(); i++) {
            assertThat(SemVer.compare(ASCENDING.get(i - 1), ASCENDING.get(i))).as(ASCENDING.get(i)).isNegative();
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
