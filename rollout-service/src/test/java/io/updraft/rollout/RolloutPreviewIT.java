package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.RolloutEvent;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /rollouts/preview and the coverage-first canary it shows, against the real inventory. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutPreviewIT {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_cohorts_of_different_sizes_then_the_preview_shows_the_canary_and_creation_follows_it() {
        String a = Fleet.uniqueModel();
        String b = a + "x"; // sorts after a, as cohorts are listed
        String releaseId = release(a, b);
        // model a: 10 devices (7 in eu, 3 in us); model b: 2 devices in eu
        for (int i = 0; i < 12; i++) {
            String model = i < 10 ? a : b;
            String region = i < 7 || i >= 10 ? "eu" : "us";
            TestKafka.send(Fleet.registered(model + "-" + i, Map.of("model", model, "revision", "1", "region", region)));
        }
        for (int i = 0; i < 12; i++) {
            Api.awaitDevice((i < 10 ? a : b) + "-" + i, null);
        }
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "waves", List.of(10, 50, 100),
                "filter", "model in (\"" + a + "\", \"" + b + "\")", "soakTime", "PT1H"));

        // default canary (3 per cohort): 10 % of a is 1 device, lifted to 3; b has only 2, so both go first
        JsonPath preview = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(preview.getInt("matching")).isEqualTo(12);
        assertThat(preview.getList("cohorts.cohort")).containsExactly(a + ":1", b + ":1");
        assertThat(preview.getList("cohorts.devices", Integer.class)).containsExactly(10, 2);
        assertThat(preview.getList("cohorts[0].perWave", Integer.class)).containsExactly(3, 2, 5);
        assertThat(preview.getList("cohorts[1].perWave", Integer.class)).containsExactly(2, 0, 0);
        assertThat(preview.getList("waves.devices", Integer.class)).containsExactly(5, 2, 5);
        assertThat(preview.getList("waves.wave", Integer.class)).containsExactly(1, 2, 3);

        // cohortBy region: every hardware x region stratum gets its own canary
        body.put("cohortBy", List.of("region"));
        JsonPath strata = Api.asOperator().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(strata.getList("cohorts.cohort")).containsExactly(a + ":1 region=eu", a + ":1 region=us",
                b + ":1 region=eu");
        assertThat(strata.getList("cohorts[0].perWave", Integer.class)).containsExactly(3, 1, 3);
        assertThat(strata.getList("cohorts[1].perWave", Integer.class)).containsExactly(3, 0, 0);
        assertThat(strata.getList("waves.devices", Integer.class)).containsExactly(8, 1, 3);

        // a smaller explicit canary, and approval flags, show too
        body.put("canaryPerCohort", 1);
        body.put("approval", "BEFORE_LATER_WAVES");
        JsonPath small = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(small.getList("waves.devices", Integer.class)).containsExactly(3, 4, 5);
        assertThat(small.getList("waves.approval", Boolean.class)).containsExactly(false, true, true);

        // nothing was stored by the previews
        assertThat(Api.asViewer().get("/api/v1/rollouts").jsonPath().getList("releaseId", String.class))
                .doesNotContain(releaseId);

        // when the rollout is created with the first body, its waves are the previewed ones
        body.remove("cohortBy");
        body.remove("canaryPerCohort");
        body.remove("approval");
        try (TestKafka.Tail commands = TestKafka.tail(Topics.DEVICE_COMMANDS);
                TestKafka.Tail events = TestKafka.tail(Topics.ROLLOUT_EVENTS)) {
            String id = Api.createRollout(body).then().statusCode(201)
                    .body("waves.devices", org.hamcrest.Matchers.contains(5, 2, 5))
                    .body("canaryPerCohort", equalTo(3)).extract().path("id");
            List<InstallRequested> wave1 = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                    .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                            c -> c.rolloutId().equals(id)), found -> found.size() >= 5);
            assertThat(wave1).extracting(InstallRequested::cohort).containsOnly(a + ":1", b + ":1");
            assertThat(wave1.stream().filter(c -> c.cohort().equals(b + ":1"))).hasSize(2);
            // exactly one RolloutCreated for the release: the previews announced nothing
            List<RolloutEvent.RolloutCreated> created = await().atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofMillis(100)).until(() -> events.events(RolloutEvent.class,
                            RolloutEvent.RolloutCreated.class, e -> e.releaseId().equals(releaseId)),
                            found -> !found.isEmpty());
            assertThat(created).hasSize(1);
            assertThat(created.get(0).cohorts()).containsExactly(a + ":1", b + ":1");
            Api.asOperator().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
        }
    }

    @Test
    void given_devices_on_the_release_incompatible_and_offline_then_the_preview_names_them_by_reason() {
        String model = Fleet.uniqueModel();
        String other = model + "-other"; // a model the release does not accept
        String releaseId = release(model, model);
        String tag = "x" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> attributes = Map.of("model", model, "revision", "1", "fleet", tag);
        for (int i = 0; i < 3; i++) {
            TestKafka.send(Fleet.registered(tag + "-ok-" + i, attributes));
        }
        for (int i = 0; i < 2; i++) {
            TestKafka.send(Fleet.registered(tag + "-on-" + i, attributes));
            TestKafka.send(Fleet.installed(tag + "-on-" + i, releaseId, "5.0.0"));
        }
        // 22 incompatible devices: the sample names the first 20 by id
        for (int i = 0; i < 22; i++) {
            TestKafka.send(Fleet.registered(String.format("%s-inc-%02d", tag, i),
                    Map.of("model", other, "revision", "1", "fleet", tag)));
        }
        // last seen three days ago
        TestKafka.send(new DeviceReport.DeviceRegistered(EventMeta.newId(), Instant.now().minus(Duration.ofDays(3)),
                UpdraftEvent.SCHEMA_VERSION, tag + "-old", "default", attributes));
        // a device outside the filter is no exclusion
        TestKafka.send(Fleet.registered(tag + "-elsewhere", Map.of("model", other, "revision", "1", "fleet", "y")));
        for (int i = 0; i < 2; i++) {
            Api.awaitDevice(tag + "-on-" + i, releaseId);
        }
        Api.awaitDevice(String.format("%s-inc-%02d", tag, 21), null);
        Api.awaitDevice(tag + "-old", null);
        Api.awaitDevice(tag + "-ok-2", null);
        Api.awaitDevice(tag + "-elsewhere", null);

        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId,
                "filter", "fleet == \"" + tag + "\"", "actionDeadline", "PT48H"));
        JsonPath preview = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(preview.getInt("matching")).isEqualTo(4); // 3 online + 1 offline, both in the target set
        assertThat(preview.getList("excluded.reason")).containsExactly("ALREADY_ON_RELEASE", "INCOMPATIBLE",
                "OFFLINE");
        assertThat(preview.getList("excluded.devices", Integer.class)).containsExactly(2, 22, 1);
        assertThat(preview.getList("excluded[0].sample")).containsExactly(tag + "-on-0", tag + "-on-1");
        assertThat(preview.getList("excluded[1].sample", String.class)).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> String.format("%s-inc-%02d", tag, i)).toList());
        assertThat(preview.getList("excluded[2].sample")).containsExactly(tag + "-old");
        Instant offlineBefore = Instant.parse(preview.getString("offlineBefore"));
        assertThat(offlineBefore).isBetween(Instant.now().minus(Duration.ofHours(49)),
                Instant.now().minus(Duration.ofHours(47)));

        // a deadline longer than the device has been away: not offline
        body.put("actionDeadline", "P4D");
        JsonPath longer = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(longer.getList("excluded.reason")).containsExactly("ALREADY_ON_RELEASE", "INCOMPATIBLE");

        // without a deadline the wave timeout (default PT6H) is the window
        body.remove("actionDeadline");
        JsonPath byTimeout = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(byTimeout.getList("excluded.devices", Integer.class)).containsExactly(2, 22, 1);

        // a filter that leaves no device to update: the 422 says where the selected devices went
        Map<String, Object> none = Map.of("releaseId", releaseId,
                "filter", "fleet == \"" + tag + "\" and (model == \"" + other + "\" or version == \"5.0.0\")");
        Api.asViewer().body(none).post("/api/v1/rollouts/preview").then().statusCode(422).contentType(PROBLEM)
                .body("detail", containsString("no device matches"))
                .body("detail", containsString("; the target selects 2 already on the release (" + tag + "-on-0, "
                        + tag + "-on-1), 22 incompatible with it (" + tag + "-inc-00, " + tag + "-inc-01, " + tag
                        + "-inc-02, …)"));

        // the same validation as before: a bad deadline is a 400 problem
        body.put("actionDeadline", "-PT1H");
        Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("actionDeadline"));
    }

    @Test
    void given_bad_input_then_the_preview_answers_like_create() {
        String model = Fleet.uniqueModel();
        String releaseId = release(model, model);
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        Api.awaitDevice(model + "-a", null);

        Api.asViewer().body(Map.of("releaseId", releaseId, "waves", List.of(50, 20, 100)))
                .post("/api/v1/rollouts/preview").then().statusCode(400).contentType(PROBLEM);
        Api.asViewer().body(Map.of("releaseId", releaseId, "filter", "model ==")).post("/api/v1/rollouts/preview")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("position 9"));
        Api.asViewer().body(Map.of("releaseId", UUID.randomUUID().toString())).post("/api/v1/rollouts/preview")
                .then().statusCode(422).contentType(PROBLEM).body("detail", containsString("unknown"));
        Api.asViewer().body(Map.of("releaseId", releaseId, "filter", "model == \"" + model + "\" and site == \"x\""))
                .post("/api/v1/rollouts/preview").then().statusCode(422).body("detail", containsString("no device"));
        Api.asViewer().body(Map.of("releaseId", releaseId, "target", Map.of("model", model)))
                .post("/api/v1/rollouts/preview").then().statusCode(200).body("matching", equalTo(1))
                .body("waves[0].devices", equalTo(1));
        io.restassured.RestAssured.given().contentType("application/json").body(Map.of("releaseId", releaseId))
                .post("/api/v1/rollouts/preview").then().statusCode(401);
    }

    private static String release(String modelA, String modelB) {
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(new ReleaseEvent.ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                releaseId, "firmware", "5.0.0", List.of(new ArtifactRef(1, "os", "fw.swu", 10, "a".repeat(64),
                        "b".repeat(40), "c".repeat(32))),
                List.of(new HardwareCompatibility(modelA, HardwareCompatibility.ANY_REVISION),
                        new HardwareCompatibility(modelB, HardwareCompatibility.ANY_REVISION))));
        Api.awaitRelease(releaseId);
        return releaseId;
    }
}
