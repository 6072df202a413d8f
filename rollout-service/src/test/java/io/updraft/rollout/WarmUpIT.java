package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.Topics;
import io.updraft.rollout.api.ApiWarmUp;
import io.updraft.rollout.service.WarmUpRehearsal;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The start-up rehearsal of the first rollout (StartupWarmUp) holds readiness until it ran against the real database
 * and broker, and leaves nothing behind: no release, device, rollout, wave, action, dispatch, outbox or history row of
 * it, no command on {@code device-commands} and no event on {@code rollout-events}; its request through the service's
 * own HTTP server is refused (401) before it creates anything.
 */
@QuarkusTest
@TestProfile(WarmUpIT.WarmUpOn.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class WarmUpIT {
    /** Every row the rehearsal writes carries its tag ("warm-up-<uuid>") in one of these columns. */
    private static final Map<String, String> TRACES = new LinkedHashMap<>();

    static {
        TRACES.put("release", "select count(*) from release where release_id like 'warm-up-%'");
        TRACES.put("device", "select count(*) from device where device_id like 'warm-up-%'");
        TRACES.put("rollout", "select count(*) from rollout where release_id like 'warm-up-%'");
        TRACES.put("rollout_device", "select count(*) from rollout_device where device_id like 'warm-up-%'");
        TRACES.put("rollout_wave", "select count(*) from rollout_wave w where not exists"
                + " (select 1 from rollout r where r.id = w.rollout_id)");
        TRACES.put("device_action", "select count(*) from device_action where device_id like 'warm-up-%'");
        TRACES.put("command_dispatch", "select count(*) from command_dispatch d where not exists"
                + " (select 1 from rollout r where r.id = d.rollout_id)");
        TRACES.put("outbox", "select count(*) from outbox where payload like '%warm-up-%'");
        TRACES.put("rollout_cohort", "select count(*) from rollout_cohort where cohort like 'warm-up:%'");
        TRACES.put("device_history", "select count(*) from device_history where device_id like 'warm-up-%'");
        TRACES.put("rollout_history", "select count(*) from rollout_history h where not exists"
                + " (select 1 from rollout r where r.id = h.rollout_id)");
    }

    public static class WarmUpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.rollout.warm-up.enabled", "true", "updraft.rollout.warm-up.devices", "120",
                    "updraft.rollout.warm-up.rounds", "2");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    WarmUpRehearsal rehearsal;
    @Inject
    ApiWarmUp api;

    @Test
    void readiness_reports_the_rehearsal_done_and_nothing_of_it_remains() throws Exception {
        JsonPath ready = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/ready").then().extract().jsonPath(),
                        health -> "UP".equals(health.getString("status")));
        assertThat(ready.getString("checks.find { it.name == 'warm-up' }.status")).isEqualTo("UP");
        // DONE, not FAILED or TIMED_OUT: the rehearsal ran through against this database and broker
        assertThat(ready.getString("checks.find { it.name == 'warm-up' }.data.state")).isEqualTo("DONE");
        // its POST /api/v1/rollouts over loopback went through the real server and was refused for its token
        assertThat(api.loopbackStatus()).isEqualTo(401);
        assertNoTraces();
    }

    @Test
    void a_rehearsal_creates_wave_1_and_its_commands_and_rolls_all_of_it_back() throws Exception {
        // 120 devices in 2 cohorts of 60, 4 waves from 10 %: wave 1 = 6 per cohort, read back by the dispatcher's
        // own statements from the actions the rehearsal created
        assertThat(rehearsal.rehearse(120)).isEqualTo(12);
        assertThat(api.loopbackStatus()).isEqualTo(401);
        assertNoTraces();
        // nothing committed, so neither the outbox relay nor the dispatcher has anything to send: still nothing after
        // both have polled several times
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> TestKafka.recordsMentioning(Topics.DEVICE_COMMANDS, "warm-up-").isEmpty()
                        && TestKafka.recordsMentioning(Topics.ROLLOUT_EVENTS, "warm-up-").isEmpty());
    }

    private void assertNoTraces() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<String, String> trace : TRACES.entrySet()) {
                try (PreparedStatement count = connection.prepareStatement(trace.getValue());
                        ResultSet row = count.executeQuery()) {
                    row.next();
                    assertThat(row.getLong(1)).as("rows of the rehearsal left in %s", trace.getKey()).isZero();
                }
            }
        }
        assertThat(TestKafka.recordsMentioning(Topics.DEVICE_COMMANDS, "warm-up-")).isEmpty();
        assertThat(TestKafka.recordsMentioning(Topics.ROLLOUT_EVENTS, "warm-up-")).isEmpty();
    }
}
