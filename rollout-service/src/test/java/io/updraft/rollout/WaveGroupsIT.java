package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.RolloutEvent;
import io.updraft.rollout.domain.GroupAssignment;
import io.updraft.rollout.domain.WaveGroup;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Explicit wave groups (hawkBit's rollout groups) over a seeded inventory, on the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class WaveGroupsIT extends WatchedTopicsTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String LAB = "region == \"lab\"";
    private static final String EU = "region == \"eu\"";

    @Test
    void given_groups_then_the_preview_counts_them_and_the_rollout_runs_group_by_group_with_each_device_in_its_group() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "4.0.0", model));
        Map<String, String> regions = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            regions.put(model + "-lab-" + i, "lab");
            regions.put(model + "-eu-" + i, "eu");
        }
        for (int i = 0; i < 3; i++) {
            regions.put(model + "-us-" + i, "us");
        }
        regions.forEach((device, region) -> TestKafka.send(Fleet.registered(device,
                Map.of("model", model, "revision", "1", "region", region))));
        Api.awaitRelease(releaseId);
        regions.keySet().forEach(device -> Api.awaitDevice(device, null));

        // lab: 50 % of 4 = 2, lifted to the canary of 3 (group 1 only); eu: 25 % of 4 = 1 (no canary); apac: nobody;
        // rest: every device the groups before it left
        List<Object> groups = List.of(Map.of("name", "lab", "filter", LAB, "percent", 50),
                Map.of("name", "eu", "filter", EU, "percent", 25, "errorThreshold", 0.3),
                Map.of("name", "apac", "filter", "region == \"apac\""), Map.of("name", "rest"));
        Map<String, Object> body = new HashMap<>(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", groups, "soakTime", "PT0S", "canaryPerCohort", 3));

        JsonPath preview = Api.asViewer().body(body).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(preview.getLong("matching")).isEqualTo(11);
        assertThat(preview.getLong("ungrouped")).isZero();
        assertThat(preview.getList("waves.name", String.class)).containsExactly("lab", "eu", "apac", "rest");
        assertThat(preview.getList("waves.filter", String.class)).containsExactly(LAB, EU, "region == \"apac\"", null);
        assertThat(preview.getList("waves.percent", Integer.class)).containsExactly(50, 25, 100, 100);
        assertThat(preview.getList("waves.devices", Integer.class)).containsExactly(3, 1, 0, 7);
        assertThat(preview.getList("waves.errorThreshold", Float.class)).containsExactly(0.5f, 0.3f, 0.5f, 0.5f);
        assertThat(preview.getList("cohorts[0].perWave", Integer.class)).containsExactly(3, 1, 0, 7);
        // without "rest", the devices the groups leave are in no group: the preview says how many
        Map<String, Object> withoutRest = new HashMap<>(body);
        withoutRest.put("waves", groups.subList(0, 3));
        JsonPath partial = Api.asViewer().body(withoutRest).post("/api/v1/rollouts/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(partial.getLong("matching")).isEqualTo(4);
        assertThat(partial.getLong("ungrouped")).isEqualTo(7);
        // a percentage rollout takes everything: nothing is ungrouped
        Map<String, Object> percentages = new HashMap<>(body);
        percentages.put("waves", List.of(50, 100));
        Api.asViewer().body(percentages).post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("matching", equalTo(11)).body("ungrouped", equalTo(0)).body("waves.name", everyItem(nullValue())).body("waves.size()", equalTo(2));

        // what the Java reference of the group semantics says each device gets
        Map<String, Integer> expected = GroupAssignment.assign(new WaveSchedule(List.of(50, 25, 100, 100),
                List.of(group("lab", LAB), group("eu", EU), group("apac", "region == \"apac\""), group("rest", null)),
                null), regions.entrySet().stream().map(e -> new GroupAssignment.Candidate(e.getKey(), model + ":1",
                        Map.of("region", e.getValue()), null)).toList(), 3);
        assertThat(expected).hasSize(11);

        String id = Api.createRollout(body).then().statusCode(201)
                .body("waves.name", contains("lab", "eu", "apac", "rest"))
                .body("waves.filter", contains(LAB, EU, "region == \"apac\"", null))
                .body("waves.devices", contains(3, 1, 0, 7)).extract().path("id");

        // group 1 runs alone; group 2 waits until it soaked
        List<InstallRequested> lab = awaitInstalls(id, 1, 3);
        assertThat(devices(lab)).isEqualTo(devicesIn(expected, 1))
                .containsExactly(model + "-lab-0", model + "-lab-1", model + "-lab-2");
        Api.rollout(id).then().body("waves[1].state", equalTo("PENDING"));
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class,
                c -> c.rolloutId().equals(id) && c.wave() != 1)).isEmpty();
        lab.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));

        List<InstallRequested> eu = awaitInstalls(id, 2, 1);
        assertThat(devices(eu)).isEqualTo(devicesIn(expected, 2)).containsExactly(model + "-eu-0");
        eu.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));

        // apac has no device: skipped; rest takes the last lab device, three eu and every us device
        List<InstallRequested> rest = awaitInstalls(id, 4, 7);
        assertThat(devices(rest)).isEqualTo(devicesIn(expected, 4)).contains(model + "-lab-3", model + "-eu-3",
                model + "-us-0");
        rest.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));

        RolloutEvent.RolloutCompleted completed = await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(100)).until(() -> rolloutEvents.events(RolloutEvent.class,
                        RolloutEvent.RolloutCompleted.class, e -> e.rolloutId().equals(id)), found -> !found.isEmpty())
                .get(0);
        assertThat(completed.succeeded()).isEqualTo(11);
        Api.rollout(id).then().body("state", equalTo("COMPLETED"))
                .body("waves.state", contains("DONE", "DONE", "SKIPPED", "DONE"))
                .body("waves.succeeded", contains(3, 1, 0, 7));
        List<RolloutEvent.RolloutGroupStarted> started = rolloutEvents.events(RolloutEvent.class,
                RolloutEvent.RolloutGroupStarted.class, e -> e.rolloutId().equals(id));
        assertThat(started).extracting(RolloutEvent.RolloutGroupStarted::wave).containsExactly(1, 2, 4);
        assertThat(started).extracting(RolloutEvent.RolloutGroupStarted::deviceCount).containsExactly(3, 1, 7);
        // every device got exactly one install
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class, c -> c.rolloutId().equals(id)))
                .hasSize(11).extracting(InstallRequested::deviceId).doesNotHaveDuplicates();
    }

    @Test
    void given_mixed_waves_or_bad_groups_then_the_request_is_refused_and_nothing_changes() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "4.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", Map.of("model", model, "revision", "1", "region", "eu")));
        Api.awaitRelease(releaseId);
        Api.awaitDevice(model + "-a", null);
        Map<String, Object> base = Map.of("releaseId", releaseId, "target", Map.of("model", model));

        for (String path : List.of("/api/v1/rollouts", "/api/v1/rollouts/preview")) {
            Api.asOperator().body(with(base, "waves", List.of(10, Map.of("name", "rest")))).post(path).then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("detail", containsString("cannot mix percentages and groups"))
                    .body("detail", containsString("waves[1] is a group"));
            Api.asOperator().body(with(base, "waves", List.of(Map.of("name", "lab", "filter", LAB),
                    Map.of("name", "eu", "filter", "region ==")))).post(path).then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("detail", containsString("waves[1] (group \"eu\"): filter is invalid at position 10"));
            Api.asOperator().body(with(base, "waves", List.of(Map.of("filter", EU)))).post(path).then()
                    .statusCode(400).contentType(PROBLEM).body("detail", containsString("needs a \"name\""));
            Api.asOperator().body(with(base, "waves", List.of(Map.of("name", "a"), Map.of("name", "a")))).post(path)
                    .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("unique"));
            Api.asOperator().body(with(base, "waves", List.of(Map.of("name", "a", "percent", 0)))).post(path)
                    .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("1..100"));
            Api.asOperator().body(with(with(base, "dynamic", true), "waves", List.of(Map.of("name", "a"))))
                    .post(path).then().statusCode(400).contentType(PROBLEM).body("detail", containsString("dynamic"));
            Api.asOperator().body(with(base, "waves", List.of(Map.of("name", "mars", "filter", "region == \"mars\""))))
                    .post(path).then().statusCode(422).contentType(PROBLEM).body("detail", containsString("no device"));
        }

        // nothing was stored or announced
        assertThat(Api.asViewer().get("/api/v1/rollouts").jsonPath().getList("releaseId", String.class))
                .doesNotContain(releaseId);
        String id = Api.createRollout(with(base, "waves", List.of(Map.of("name", "eu", "filter", EU))))
                .then().statusCode(201).body("waves.name", contains("eu")).extract().path("id");
        List<RolloutEvent.RolloutCreated> created = await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(100)).until(() -> rolloutEvents.events(RolloutEvent.class,
                        RolloutEvent.RolloutCreated.class, e -> e.releaseId().equals(releaseId)),
                        found -> !found.isEmpty());
        awaitInstalls(id, 1, 1);
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutCreated.class,
                e -> e.releaseId().equals(releaseId))).hasSize(1).isEqualTo(created);
        Api.asOperator().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    private static WaveGroup group(String name, String filter) {
        return new WaveGroup(name, filter, filter == null ? null : FilterParser.parse(filter));
    }

    private static Set<String> devices(List<InstallRequested> installs) {
        return installs.stream().map(InstallRequested::deviceId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> devicesIn(Map<String, Integer> waves, int wave) {
        return waves.entrySet().stream().filter(e -> e.getValue() == wave).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
