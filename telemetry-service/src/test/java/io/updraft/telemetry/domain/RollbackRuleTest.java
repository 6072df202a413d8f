package io.updraft.telemetry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackRuleTest {
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
