package io.updraft.telemetry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackRuleTest {
    private final RollbackRule rule = new RollbackRule(0.5, 3);

    @Test
    void given_fewer_installs_than_the_min_sample_when_all_failed_then_no_rollback() {
        assertThat(rule.breachedBy(new CohortTally(0, 2))).isEmpty();
    }

    @Test
    void given_the_min_sample_when_the_rate_is_exactly_the_threshold_then_rollback() {
        RollbackRule sixty = new RollbackRule(0.6, 5);

        assertThat(sixty.breachedBy(new CohortTally(2, 3)))
                .contains("failure rate 0.60 >= 0.60 over 5 installs");
    }

    @Test
    void given_the_min_sample_when_the_rate_is_just_below_the_threshold_then_no_rollback() {
        assertThat(new RollbackRule(0.6, 5).breachedBy(new CohortTally(3, 2))).isEmpty();
        assertThat(rule.breachedBy(new CohortTally(51, 49))).isEmpty();
    }

    @Test
    void given_the_min_sample_when_every_install_failed_then_rollback_with_the_figures() {
        assertThat(rule.breachedBy(new CohortTally(0, 3))).contains("failure rate 1.00 >= 0.50 over 3 installs");
    }

    @Test
    void given_no_installs_when_judged_then_no_rollback_even_at_a_sample_of_one() {
        assertThat(new RollbackRule(0.01, 1).breachedBy(new CohortTally(0, 0))).isEmpty();
    }

    @Test
    void given_a_rollback_install_when_counted_then_it_never_counts() {
        assertThat(RollbackRule.counts(finished("r-1", true, Outcome.FAILURE))).isFalse();
        assertThat(RollbackRule.counts(finished("r-1", true, Outcome.SUCCESS))).isFalse();
    }

    @Test
    void given_a_first_install_of_a_rollout_when_counted_then_it_counts() {
        assertThat(RollbackRule.counts(finished("r-1", false, Outcome.FAILURE))).isTrue();
    }

    @Test
    void given_an_install_outside_any_rollout_when_counted_then_it_does_not_count() {
        assertThat(RollbackRule.counts(finished(null, false, Outcome.FAILURE))).isFalse();
        assertThat(RollbackRule.counts(finished(" ", false, Outcome.FAILURE))).isFalse();
    }

    @Test
    void given_a_policy_that_would_roll_back_healthy_cohorts_when_built_then_it_is_rejected() {
        assertThatThrownBy(() -> new RollbackRule(0.0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RollbackRule(1.5, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RollbackRule(Double.NaN, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RollbackRule(0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ActionFinished finished(String rolloutId, boolean rollback, Outcome outcome) {
        return new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, "device-1", 7L,
                rolloutId, 1, "board:1", "release-1", "1.0.0", rollback, outcome, List.of());
    }
}
