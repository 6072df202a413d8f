package io.updraft.telemetry;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.ActionFinished;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCompleted;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.UpdraftEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Events as the rollout-service and the gateway would publish them, with fresh ids so tests never collide. */
final class Fixtures {
    private static final AtomicLong ACTION_IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    private Fixtures() {
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static RolloutCreated rolloutCreated(String rolloutId, double threshold, int minSampleSize, String... cohorts) {
        return new RolloutCreated(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                "test rollout", "release-1", "1.0.0", 1, 10, List.of(cohorts),
                new RollbackPolicy(threshold, minSampleSize));
    }

    static RolloutCompleted rolloutCompleted(String rolloutId) {
        return new RolloutCompleted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId, 1, 0,
                List.of());
    }

    static ActionFinished installed(String deviceId, String rolloutId, String cohort, Outcome outcome) {
        return finished(deviceId, ACTION_IDS.incrementAndGet(), rolloutId, cohort, outcome, false);
    }

    static ActionFinished rolledBack(String deviceId, String rolloutId, String cohort, Outcome outcome) {
        return finished(deviceId, ACTION_IDS.incrementAndGet(), rolloutId, cohort, outcome, true);
    }

    static ActionFinished finished(String deviceId, long actionId, String rolloutId, String cohort, Outcome outcome,
            boolean rollback) {
        return new ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, deviceId, actionId,
                rolloutId, 1, cohort, "release-1", "1.0.0", rollback, outcome, List.of("test"));
    }

    /** The same action's result published again under a new event id (a gateway retry). */
    static ActionFinished republished(ActionFinished original) {
        return finished(original.deviceId(), original.actionId(), original.rolloutId(), original.cohort(),
                original.outcome(), original.rollback());
    }

    static HealthReported health(String deviceId, boolean bootOk, int crashes, boolean appHealthy) {
        return new HealthReported(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, deviceId, bootOk,
                crashes, appHealthy, Map.of("cpu", 0.5));
    }

    static RequestSpecification asViewer() {
        return given().auth().oauth2(UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer"));
    }
}
