package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.MaintenanceWindow;
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

/** Offline devices and wave timeouts, the start time, the maintenance window and the per-device action deadline. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class LateDevicesIT extends WatchedTopicsTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void given_devices_that_never_report_when_the_wave_times_out_then_it_is_judged_on_what_finished() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 4);

        // wave 1 = 2 devices, wave 2 = the other 2; every device must finish (successThreshold 1.0) — or the timeout
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "soakTime", "PT0S", "canaryPerCohort", 0, "waveTimeout", "PT3S"))
                .then().statusCode(201).body("waveTimeout", equalTo("PT3S")).extract().path("id");
        List<InstallRequested> wave1 = awaitInstalls(id, 1, 2);
        InstallRequested online = wave1.get(0);
        InstallRequested offline = wave1.get(1);
        TestKafka.send(Fleet.finished(online, DeviceReport.Outcome.SUCCESS));

        // then the offline device does not block the wave: it times out, soaks and wave 2 starts
        RolloutEvent.RolloutWaveTimedOut timedOut = awaitEvents(id, RolloutEvent.RolloutWaveTimedOut.class, 1).get(0);
        assertThat(timedOut.wave()).isEqualTo(1);
        assertThat(timedOut.pendingDevices()).isEqualTo(1);
        List<InstallRequested> wave2 = awaitInstalls(id, 2, 2);
        wave2.forEach(command -> TestKafka.send(Fleet.finished(command, DeviceReport.Outcome.SUCCESS)));
        RolloutEvent.RolloutCompleted completed = awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0);
        assertThat(completed.succeeded()).isEqualTo(3);
        assertThat(completed.failed()).isZero();

        // the offline device counts as pending, not failed, and its action stays open
        Api.rollout(id).then().body("state", equalTo("COMPLETED"))
                .body("waves[0].state", equalTo("DONE")).body("waves[0].timedOut", equalTo(true))
                .body("waves[0].pending", equalTo(1)).body("waves[0].failed", equalTo(0))
                .body("waves[0].succeeded", equalTo(1)).body("waves[1].timedOut", equalTo(false));
        Api.asViewer().queryParam("deviceId", offline.deviceId()).get("/api/v1/rollouts/" + id + "/actions").then()
                .body("[0].state", equalTo("SCHEDULED"));
        assertThat(commands.events(DeviceCommand.class, DeviceCommand.CancelRequested.class,
                c -> c.rolloutId().equals(id))).isEmpty();

        // when the device comes back and installs, its action and wave count it
        TestKafka.send(Fleet.finished(offline, DeviceReport.Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.rollout(id).jsonPath().getInt("waves[0].succeeded") == 2);
        Api.rollout(id).then().body("waves[0].pending", equalTo(0));
    }

    @Test
    void given_a_start_time_then_the_rollout_waits_scheduled_and_starts_wave_1_then() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 2);
        Instant startAt = Instant.now().plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "startAt", startAt.toString(), "soakTime", "PT0S"))
                .then().statusCode(201).body("state", equalTo("SCHEDULED"))
                .body("waves[0].state", equalTo("PENDING")).extract().path("id");
        assertThat(awaitEvents(id, RolloutEvent.RolloutScheduled.class, 1).get(0).startAt()).isEqualTo(startAt);
        String path = "/api/v1/rollouts/" + id;
        Api.asViewer().get(path + "/actions").then().body("size()", equalTo(0));
        Api.asOperator().body("{}").post(path + "/pause").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("SCHEDULED"));
        Api.asOperator().body("{}").post(path + "/approve").then().statusCode(409);

        List<InstallRequested> wave1 = awaitInstalls(id, 1, 2);
        RolloutEvent.RolloutStarted started = awaitEvents(id, RolloutEvent.RolloutStarted.class, 1).get(0);
        assertThat(started.occurredAt()).isAfterOrEqualTo(startAt);
        assertThat(wave1.get(0).occurredAt()).isAfterOrEqualTo(startAt);
        Api.rollout(id).then().body("state", equalTo("RUNNING")).body("startAt", equalTo(startAt.toString()));
    }

    @Test
    void given_a_scheduled_rollout_when_aborted_then_it_never_starts() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 2);
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "startAt", Instant.now().plusSeconds(2).toString()))
                .then().statusCode(201).body("state", equalTo("SCHEDULED")).extract().path("id");

        Api.asOperator().body(Map.of("reason", "not this week")).post("/api/v1/rollouts/" + id + "/abort").then()
                .statusCode(200).body("state", equalTo("ABORTED")).body("waves[0].state", equalTo("ABORTED"));
        assertThat(awaitEvents(id, RolloutEvent.RolloutAborted.class, 1).get(0).reason()).isEqualTo("not this week");

        // well past the start time (the wave gate ticks every second in tests), nothing started or was sent
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> "ABORTED".equals(Api.rollout(id).jsonPath().getString("state")));
        Api.asViewer().get("/api/v1/rollouts/" + id + "/actions").then().body("size()", equalTo(0));
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutStarted.class,
                e -> e.rolloutId().equals(id))).isEmpty();
        assertThat(commands.events(DeviceCommand.class, InstallRequested.class, c -> c.rolloutId().equals(id)))
                .isEmpty();
    }

    @Test
    void given_a_deadline_and_a_window_then_installs_carry_them_and_an_expired_action_counts_like_canceled() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 2);
        Instant before = Instant.now();

        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S", "actionDeadline", "PT48H",
                "maintenanceWindow", Map.of("schedule", "0 0 2 ? * *", "duration", "PT2H",
                        "timezone", "Europe/Berlin")))
                .then().statusCode(201).body("actionDeadline", equalTo("PT48H"))
                .body("maintenanceWindow.schedule", equalTo("0 0 2 ? * *"))
                .body("maintenanceWindow.timezone", equalTo("Europe/Berlin")).extract().path("id");
        List<InstallRequested> installs = awaitInstalls(id, 1, 2);
        Instant after = Instant.now();
        for (InstallRequested install : installs) {
            assertThat(install.expiresAt()).isBetween(before.plus(Duration.ofHours(48)),
                    after.plus(Duration.ofHours(48)));
            assertThat(install.maintenanceWindow())
                    .isEqualTo(new MaintenanceWindow("0 0 2 ? * *", "PT2H", "Europe/Berlin"));
        }

        // when one action expires on the gateway and the other succeeds, the wave finishes: expired is not failed
        TestKafka.send(Fleet.expired(installs.get(0)));
        TestKafka.send(Fleet.finished(installs.get(1), DeviceReport.Outcome.SUCCESS));
        RolloutEvent.RolloutCompleted completed = awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0);
        assertThat(completed.failed()).isZero();
        Api.rollout(id).then().body("waves[0].expired", equalTo(1)).body("waves[0].failed", equalTo(0))
                .body("waves[0].succeeded", equalTo(1)).body("waves[0].pending", equalTo(0));
        Api.asViewer().queryParam("deviceId", installs.get(0).deviceId()).get("/api/v1/rollouts/" + id + "/actions")
                .then().body("[0].state", equalTo("EXPIRED"));
    }

    @Test
    void given_no_deadline_or_window_then_installs_carry_neither() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 1);
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model)))
                .then().statusCode(201).body("actionDeadline", nullValue()).body("maintenanceWindow", nullValue())
                .body("waveTimeout", equalTo("PT6H")).extract().path("id");
        InstallRequested install = awaitInstalls(id, 1, 1).get(0);
        assertThat(install.expiresAt()).isNull();
        assertThat(install.maintenanceWindow()).isNull();
        assertThat(install.confirmationRequired()).isFalse();
        Api.rollout(id).then().body("confirmationRequired", equalTo(false));
    }

    @Test
    void given_confirmation_required_then_it_round_trips_and_every_wave_install_asks_the_device_to_confirm() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 2);
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S", "confirmationRequired", true))
                .then().statusCode(201).body("confirmationRequired", equalTo(true)).extract().path("id");
        Api.rollout(id).then().body("confirmationRequired", equalTo(true));
        List<InstallRequested> installs = awaitInstalls(id, 1, 2);
        assertThat(installs).allSatisfy(install -> assertThat(install.confirmationRequired()).isTrue());

        // when one device denies and the other installs, the wave finishes: a denial ends the action, not as failed
        TestKafka.send(Fleet.denied(installs.get(0)));
        TestKafka.send(Fleet.finished(installs.get(1), DeviceReport.Outcome.SUCCESS));
        RolloutEvent.RolloutCompleted completed = awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1).get(0);
        assertThat(completed.failed()).isZero();
        Api.rollout(id).then().body("waves[0].denied", equalTo(1)).body("waves[0].failed", equalTo(0))
                .body("waves[0].succeeded", equalTo(1)).body("waves[0].pending", equalTo(0))
                .body("waves[0].canceled", equalTo(0));
        Api.asViewer().queryParam("deviceId", installs.get(0).deviceId()).get("/api/v1/rollouts/" + id + "/actions")
                .then().body("[0].state", equalTo("DENIED"));
    }

    @Test
    void given_a_confirmation_deadline_then_each_wave_install_must_be_answered_by_the_waves_start_plus_it() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 2);
        Instant before = Instant.now();
        String id = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT0S", "confirmationRequired", true, "confirmationDeadline", "PT72H"))
                .then().statusCode(201).body("confirmationDeadline", equalTo("PT72H")).extract().path("id");
        Api.rollout(id).then().body("confirmationDeadline", equalTo("PT72H"));
        List<InstallRequested> installs = awaitInstalls(id, 1, 2);
        Instant after = Instant.now();
        // one instant for the whole wave (its start + 72 h), so a chunk re-sent after a crash is the same command
        assertThat(installs).extracting(InstallRequested::confirmBy).containsOnly(installs.get(0).confirmBy());
        assertThat(installs.get(0).confirmBy()).isBetween(before.plus(Duration.ofHours(72)).minusSeconds(1),
                after.plus(Duration.ofHours(72)));
        assertThat(installs).allSatisfy(install -> assertThat(install.expiresAt()).isNull());

        // a device that let the deadline pass: its action ends EXPIRED, and its history says why
        TestKafka.send(new DeviceReport.ActionExpired(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                installs.get(0).deviceId(), installs.get(0).actionId(), id, installs.get(0).cohort(),
                DeviceReport.ActionExpired.CONFIRMATION_DEADLINE));
        TestKafka.send(Fleet.finished(installs.get(1), DeviceReport.Outcome.SUCCESS));
        awaitEvents(id, RolloutEvent.RolloutCompleted.class, 1);
        Api.rollout(id).then().body("waves[0].expired", equalTo(1)).body("waves[0].failed", equalTo(0))
                .body("waves[0].succeeded", equalTo(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.asViewer()
                .get("/api/v1/devices/" + installs.get(0).deviceId() + "/history").then().statusCode(200)
                .body("entries.find { it.type == 'ACTION_EXPIRED' }.reason", equalTo("confirmation-deadline"))
                .body("entries.find { it.type == 'ACTION_EXPIRED' }.actionId", equalTo((int) installs.get(0).actionId())));
    }

    @Test
    void given_a_confirmation_deadline_without_confirmation_or_unreadable_then_creation_is_a_clear_400() {
        String model = Fleet.uniqueModel();
        String releaseId = givenAReleaseAndDevices(model, 1);
        List<Map<String, Object>> invalid = List.of(
                Map.of("confirmationDeadline", "PT72H"),
                Map.of("confirmationRequired", false, "confirmationDeadline", "PT72H"),
                Map.of("confirmationRequired", true, "confirmationDeadline", "72h"),
                Map.of("confirmationRequired", true, "confirmationDeadline", "PT0S"),
                Map.of("confirmationRequired", true, "confirmationDeadline", "-PT1H"),
                Map.of("confirmationRequired", true, "confirmationDeadline", "P400D"));
        for (Map<String, Object> fields : invalid) {
            Map<String, Object> body = new HashMap<>(fields);
            body.put("releaseId", releaseId);
            body.put("target", Map.of("model", model));
            JsonPath problem = Api.createRollout(body).then().statusCode(400).contentType(PROBLEM).extract().jsonPath();
            assertThat(problem.getString("detail")).as(fields.toString()).contains("confirmationDeadline");
        }
        // nothing was created: the same body with a valid deadline is the release's first rollout
        Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model), "confirmationRequired", true,
                "confirmationDeadline", "PT1H")).then().statusCode(201);
        awaitEvents(releaseId, RolloutEvent.RolloutCreated.class, 1, RolloutEvent.RolloutCreated::releaseId);
        assertThat(rolloutEvents.events(RolloutEvent.class, RolloutEvent.RolloutCreated.class,
                e -> e.releaseId().equals(releaseId))).hasSize(1);
    }

    @Test
    void given_an_unreadable_window_start_time_or_duration_then_creation_is_a_clear_400() {
        Map<String, String> window = Map.of("schedule", "0 0 2 ? * *", "duration", "PT2H", "timezone", "UTC");
        List<Object[]> invalid = List.of(
                new Object[] {"maintenanceWindow", with(window, "schedule", "every night"), "maintenanceWindow.schedule"},
                new Object[] {"maintenanceWindow", with(window, "schedule", "0 0 25 ? * *"), "maintenanceWindow.schedule"},
                new Object[] {"maintenanceWindow", with(window, "duration", "2h"), "maintenanceWindow.duration"},
                new Object[] {"maintenanceWindow", with(window, "duration", "PT0S"), "maintenanceWindow.duration"},
                new Object[] {"maintenanceWindow", with(window, "timezone", "Mars/Olympus"), "maintenanceWindow.timezone"},
                new Object[] {"maintenanceWindow", Map.of("duration", "PT2H"), "maintenanceWindow.schedule"},
                new Object[] {"startAt", "tomorrow", "startAt"},
                new Object[] {"waveTimeout", "PT0S", "waveTimeout"},
                new Object[] {"waveTimeout", "6 hours", "waveTimeout"},
                new Object[] {"actionDeadline", "-PT1H", "actionDeadline"},
                new Object[] {"confirmationRequired", Map.of("yes", true), "confirmationRequired"},
                new Object[] {"confirmationRequired", List.of(true), "confirmationRequired"});
        for (Object[] field : invalid) {
            Map<String, Object> body = new HashMap<>(Map.of("releaseId", UUID.randomUUID().toString()));
            body.put((String) field[0], field[1]);
            JsonPath problem = Api.createRollout(body).then().statusCode(400).contentType(PROBLEM).extract().jsonPath();
            assertThat(problem.getString("detail")).as(field[0] + "=" + field[1]).contains((String) field[2]);
        }
    }

    private static Map<String, String> with(Map<String, String> window, String key, String value) {
        Map<String, String> copy = new HashMap<>(window);
        copy.put(key, value);
        return copy;
    }

    private static String givenAReleaseAndDevices(String model, int count) {
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        List<String> devices = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(model + "-" + (char) ('a' + i));
        }
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        return releaseId;
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String key, Class<E> type, int expected,
            java.util.function.Function<E, String> keyOf) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> keyOf.apply(e).equals(key)),
                        found -> found.size() >= expected);
    }

    private <E extends RolloutEvent> List<E> awaitEvents(String rolloutId, Class<E> type, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> rolloutEvents.events(RolloutEvent.class, type, e -> e.rolloutId().equals(rolloutId)),
                        found -> found.size() >= expected);
    }
}
