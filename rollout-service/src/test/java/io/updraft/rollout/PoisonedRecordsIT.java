package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a record with a schemaVersion this reader does not know, or naming something this service never saw, is
 * parked on the topic's dead-letter topic and changes nothing — one test per consumed topic. Before, a
 * ReleasePublished of schemaVersion 999 entered the catalog and a RollbackTriggered of schemaVersion 999 rolled a
 * cohort back.
 */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class PoisonedRecordsIT {

    @Test
    void releases_of_an_unknown_schema_version_or_about_an_unknown_release_are_parked() {
        String releaseId = UUID.randomUUID().toString();
        String published = EventJson.write(Fleet.release(releaseId, "1.0.0", Fleet.uniqueModel()));
        String stranger = UUID.randomUUID().toString();
        List<String> poison = List.of(version(published, 999), version(published, null),
                EventJson.write(new ReleaseEvent.ReleaseMarkedStable(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, stranger)),
                published.replace("\"firmware\"", "\"firm\\u0000ware\""));
        poison.forEach(value -> TestKafka.send(Topics.RELEASES, releaseId, value));

        assertParked(Topics.RELEASES, poison);
        assertThat(Api.asViewer().body(Map.of("releaseId", releaseId)).post("/api/v1/rollouts/preview").statusCode())
                .as("the release is not in the catalog").isEqualTo(422);
        // the consumer goes on: the same release, readable, is applied
        TestKafka.send(Topics.RELEASES, releaseId, published);
        Api.awaitRelease(releaseId);
    }

    @Test
    void device_reports_of_an_unknown_schema_version_or_with_hostile_ids_or_attributes_are_parked() {
        String model = Fleet.uniqueModel();
        String deviceId = model + "-a";
        String registered = EventJson.write(Fleet.registered(deviceId, model, "1"));
        List<String> poison = List.of(version(registered, 999), version(registered, null),
                registered.replace("\"site\":\"lab\"", "\"site\":\"l\\u0000ab\""),
                registered.replace(deviceId, deviceId + "/x"),
                registered.replace(deviceId, deviceId + "\\u0000"));
        poison.forEach(value -> TestKafka.send(Topics.DEVICE_REPORTS, deviceId, value));

        assertParked(Topics.DEVICE_REPORTS, poison);
        Api.asViewer().get("/api/v1/devices/" + deviceId).then().statusCode(404);
        TestKafka.send(Topics.DEVICE_REPORTS, deviceId, registered);
        Api.awaitDevice(deviceId, null);
    }

    @Test
    void rollbacks_of_an_unknown_schema_version_or_for_an_unknown_rollout_or_cohort_are_parked() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);

        String rollback = EventJson.write(Fleet.rollback(rolloutId, model + ":1"));
        String unknownRollout = UUID.randomUUID().toString();
        List<String> poison = List.of(version(rollback, 999), version(rollback, null),
                EventJson.write(Fleet.rollback(unknownRollout, model + ":1")),
                EventJson.write(Fleet.rollback(rolloutId, model + ":no-such-revision")));
        poison.forEach(value -> TestKafka.send(Topics.ROLLBACKS, rolloutId, value));

        assertParked(Topics.ROLLBACKS, poison);
        assertThat(Api.rollout(rolloutId).jsonPath().getString("cohorts[0].state")).isEqualTo("ACTIVE");
        TestKafka.send(Topics.ROLLBACKS, rolloutId, rollback);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "ROLLED_BACK".equals(Api.rollout(rolloutId).jsonPath().getString("cohorts[0].state")));
    }

    @Test
    void fleet_health_of_an_unknown_schema_version_is_parked() {
        String rolloutId = UUID.randomUUID().toString();
        String window = EventJson.write(new FleetHealthEvent.HealthWindowClosed(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, rolloutId, EventMeta.now().minusSeconds(10), EventMeta.now(), List.of()));
        List<String> poison = List.of(version(window, 999), version(window, null),
                window.replace(rolloutId, rolloutId + "\\u0000"));
        poison.forEach(value -> TestKafka.send(Topics.FLEET_HEALTH, rolloutId, value));

        assertParked(Topics.FLEET_HEALTH, poison);
    }

    /** The event's JSON with another schemaVersion, or none. */
    private static String version(String json, Integer version) {
        String current = "\"schemaVersion\":" + UpdraftEvent.SCHEMA_VERSION;
        assertThat(json).contains(current);
        return json.replace(current, version == null ? "\"schemaVersionWas\":1" : "\"schemaVersion\":" + version);
    }

    private static void assertParked(String topic, List<String> poison) {
        try (TestKafka.Tail deadLetters = TestKafka.tail(Topics.deadLetter(topic))) {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(deadLetters.values()).containsAll(poison));
        }
    }
}
