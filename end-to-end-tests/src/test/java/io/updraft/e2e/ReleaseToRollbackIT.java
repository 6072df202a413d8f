package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.DemoStory;
import io.updraft.launcher.LocalStack;
import io.updraft.launcher.UpdraftApi;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Release → rollout → devices → telemetry → rollback, across the four packaged services, one real broker and one
 * real PostgreSQL; driven only through HTTP (management APIs and DDI). Every hop is needed for it to pass:
 * without release-service no release, without Kafka no commands, without the gateway no installs, without
 * telemetry no rollback, without the rollout-service's rollback handling no cohort back on 1.1.0.
 */
class ReleaseToRollbackIT {

    @Test
    void aReleaseThatBreaksOneModelIsRolledBackOnThatModelOnly() throws Exception {
        LocalStack stack = EndToEndStack.get();
        UpdraftApi api = UpdraftApi.of(stack);

        // given a fleet of two models; when 1.1.0 then 1.2.0 (failing on gw-200) are rolled out in two waves
        DemoStory.Outcome outcome = new DemoStory(stack, System.out, "e2e", "e2e-firmware", 15).run();
        try {
            // then the story's own checks hold (waves complete, RollbackTriggered for gw-200 only, versions)
            assertThat(outcome.failures()).isEmpty();
            assertThat(outcome.triggeredCohorts()).containsExactly("gw-200:1.0");
            assertThat(outcome.devices()).isEqualTo(Map.of("gw-100", Map.of("1.2.0", 15L), "gw-200",
                    Map.of("1.1.0", 15L)));
            assertThat(outcome.inventory()).isEqualTo(outcome.devices());

            // and the healthy path: every device got exactly one 1.1.0 action, and it succeeded
            JsonNode firstActions = api.rolloutActions(outcome.firstRolloutId());
            assertThat(firstActions).hasSize(30);
            assertThat(firstActions).allSatisfy(action -> {
                assertThat(action.path("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(action.path("rollback").asBoolean()).isFalse();
            });
            assertThat(firstActions.findValuesAsText("deviceId")).doesNotHaveDuplicates();

            // and the rollback path: gw-100 devices have one 1.2.0 action each, gw-200 devices never more than one
            // 1.2.0 action, and a rollback action to 1.1.0 only where 1.2.0 had been installed
            JsonNode secondActions = api.rolloutActions(outcome.secondRolloutId());
            Map<String, Integer> forwardActions = new HashMap<>();
            for (JsonNode action : secondActions) {
                if (!action.path("rollback").asBoolean()) {
                    forwardActions.merge(action.path("deviceId").asText(), 1, Integer::sum);
                }
            }
            assertThat(forwardActions.values()).allMatch(count -> count == 1);
            List<JsonNode> rollbacks = secondActions.findParents("rollback").stream()
                    .filter(a -> a.path("rollback").asBoolean()).toList();
            assertThat(rollbacks).isNotEmpty().allSatisfy(action -> {
                assertThat(action.path("cohort").asText()).isEqualTo("gw-200:1.0");
                assertThat(action.path("version").asText()).isEqualTo("1.1.0");
                assertThat(action.path("state").asText()).isEqualTo("SUCCEEDED");
            });
            assertThat(outcome.fleet().repeatedInstalls()).isEmpty();

            // and telemetry saw the cohorts apart
            JsonNode health = api.rolloutHealth(outcome.secondRolloutId());
            Map<String, JsonNode> cohorts = new HashMap<>();
            health.path("cohorts").forEach(c -> cohorts.put(c.path("cohort").asText(), c));
            assertThat(cohorts.get("gw-200:1.0").path("failureRate").asDouble()).isGreaterThanOrEqualTo(0.5);
            assertThat(cohorts.get("gw-200:1.0").path("rolledBack").asBoolean()).isTrue();
            assertThat(cohorts.get("gw-100:1.0").path("failed").asInt()).isZero();
            assertThat(cohorts.get("gw-100:1.0").path("rolledBack").asBoolean()).isFalse();
        } finally {
            outcome.fleet().close();
        }
    }
}
