package io.updraft.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Follows one rollout over the REST APIs and tells the timeline each change, until the rollout ends. */
final class RolloutWatcher {
    private final UpdraftApi api;
    private final Timeline timeline;
    private final String rolloutId;
    private final String label;
    private final Map<String, String> seen = new HashMap<>();
    private final Set<String> rollbacksSeen = new HashSet<>();

    RolloutWatcher(UpdraftApi api, Timeline timeline, String rolloutId, String label) {
        this.api = api;
        this.timeline = timeline;
        this.rolloutId = rolloutId;
        this.label = label;
    }

    /** @return the final rollout view, once it is COMPLETED or ABORTED and every rollback action has finished */
    JsonNode awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = api.rollout(rolloutId);
        while (System.nanoTime() < deadline) {
            view = api.rollout(rolloutId);
            report(view);
            reportRollbacks();
            if (ended(view)) {
                return view;
            }
            Thread.sleep(300);
        }
        timeline.say("%s: still %s after %ss", label, view.path("state").asText(), timeout.toSeconds());
        return view;
    }

    private static boolean ended(JsonNode view) {
        String state = view.path("state").asText();
        JsonNode rollbacks = view.path("rollbackActions");
        boolean rollbacksDone = rollbacks.path("sent").asInt()
                == rollbacks.path("succeeded").asInt() + rollbacks.path("failed").asInt();
        return ("COMPLETED".equals(state) || "ABORTED".equals(state)) && rollbacksDone;
    }

    private void report(JsonNode view) {
        for (JsonNode wave : view.path("waves")) {
            String key = "wave-" + wave.path("wave").asInt();
            String state = wave.path("state").asText();
            if (!state.equals(seen.put(key, state))) {
                switch (state) {
                    case "RUNNING" -> timeline.say("%s: wave %d started: %d devices (%d%% of the target)", label,
                            wave.path("wave").asInt(), wave.path("devices").asInt(), wave.path("percent").asInt());
                    case "SOAKING" -> timeline.say("%s: wave %d finished: %d succeeded, %d failed — soaking",
                            label, wave.path("wave").asInt(), wave.path("succeeded").asInt(),
                            wave.path("failed").asInt());
                    case "DONE" -> timeline.say("%s: wave %d complete: %d succeeded, %d failed, %d canceled", label,
                            wave.path("wave").asInt(), wave.path("succeeded").asInt(), wave.path("failed").asInt(),
                            wave.path("canceled").asInt());
                    case "SKIPPED" -> timeline.say("%s: wave %d skipped (no active cohort left in it)", label,
                            wave.path("wave").asInt());
                    default -> {
                    }
                }
            }
        }
        for (JsonNode cohort : view.path("cohorts")) {
            String key = "cohort-" + cohort.path("cohort").asText();
            String state = cohort.path("state").asText();
            if (!state.equals(seen.put(key, state)) && "ROLLED_BACK".equals(state)) {
                timeline.say("%s: cohort %s stopped and rolled back (%s)", label, cohort.path("cohort").asText(),
                        cohort.path("rollbackReason").asText());
            }
        }
        JsonNode rollbacks = view.path("rollbackActions");
        String rollbackProgress = rollbacks.path("sent").asInt() + "/" + rollbacks.path("succeeded").asInt();
        if (rollbacks.path("sent").asInt() > 0 && !rollbackProgress.equals(seen.put("rollback-actions", rollbackProgress))) {
            timeline.say("%s: rollback installs: %d sent, %d succeeded, %d failed", label,
                    rollbacks.path("sent").asInt(), rollbacks.path("succeeded").asInt(),
                    rollbacks.path("failed").asInt());
        }
        String state = view.path("state").asText();
        if (!state.equals(seen.put("state", state)) && !"RUNNING".equals(state)) {
            timeline.say("%s: rollout %s", label, state);
        }
    }

    private void reportRollbacks() {
        for (JsonNode decision : api.rollbacks(rolloutId)) {
            String cohort = decision.path("cohort").asText();
            if (rollbacksSeen.add(cohort)) {
                timeline.say("%s: telemetry-service published RollbackTriggered for cohort %s: %s", label, cohort,
                        decision.path("reason").asText());
            }
        }
    }
}
