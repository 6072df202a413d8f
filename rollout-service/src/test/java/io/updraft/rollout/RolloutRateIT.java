package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The rollout rate (AWS IoT Jobs' jobExecutionsRolloutConfig): a wave's installs leave no faster than the rate, an
 * exponential ramp rises with the devices notified or succeeded, and a bad rate is refused without storing anything.
 * Only lower bounds on time are asserted (a slower machine only makes sending slower).
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutRateIT extends WatchedTopicsTest {
    @Inject
    DataSource dataSource;

    @Test
    void installs_leave_no_faster_than_the_maximum_per_minute() {
        String model = fleet(5);
        String rolloutId = create(model, Map.of("maximumPerMinute", 60));
        List<InstallRequested> sent = awaitInstalls(rolloutId, 5);
        // one at once, then one a second: the fifth no earlier than about 4 s after the first
        assertThat(spread(sent)).isGreaterThanOrEqualTo(Duration.ofMillis(3_500));
        assertThat(Api.rollout(rolloutId).jsonPath().getInt("rolloutRate.maximumPerMinute")).isEqualTo(60);
    }

    @Test
    void an_exponential_ramp_on_notified_devices_speeds_up_after_each_step() throws Exception {
        String model = fleet(24);
        String rolloutId = create(model, Map.of("maximumPerMinute", 960, "exponentialRate", Map.of(
                "baseRatePerMinute", 60, "incrementFactor", 4.0,
                "rateIncreaseCriteria", Map.of("numberOfNotifiedThings", 4))));
        List<InstallRequested> sent = awaitInstalls(rolloutId, 24).stream()
                .sorted(Comparator.comparing(InstallRequested::occurredAt)).toList();
        // 1/s for the first four (at least 3 s), then 4/s, then 16/s: the last twenty took less than the first four
        Duration firstFour = Duration.between(sent.get(0).occurredAt(), sent.get(3).occurredAt());
        Duration lastTwenty = Duration.between(sent.get(4).occurredAt(), sent.get(23).occurredAt());
        System.out.printf("ramp: first 4 installs over %d ms, the next 20 over %d ms%n", firstFour.toMillis(),
                lastTwenty.toMillis());
        assertThat(firstFour).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        assertThat(lastTwenty).isLessThan(firstFour.multipliedBy(3));
        assertThat(sent).extracting(InstallRequested::deviceId).doesNotHaveDuplicates();
    }

    @Test
    void a_ramp_on_succeeded_devices_rises_only_when_devices_succeed() throws Exception {
        String model = fleet(30);
        String rolloutId = create(model, Map.of("maximumPerMinute", 6_000, "exponentialRate", Map.of(
                "baseRatePerMinute", 30, "incrementFactor", 5.0,
                "rateIncreaseCriteria", Map.of("numberOfSucceededThings", 1))));
        List<InstallRequested> first = awaitInstalls(rolloutId, 2);
        // two sent, none succeeded: still the base rate
        assertThat(rate(rolloutId)).isEqualTo(30.0);
        TestKafka.send(Fleet.finished(first.get(0), DeviceReport.Outcome.SUCCESS));
        // the success raises it by the factor on the next send
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> rate(rolloutId) != null && rate(rolloutId) >= 150.0);
    }

    /** The wave's current rate in its dispatch row (null once every install of the wave was sent). */
    private Double rate(String rolloutId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select rate_per_minute from command_dispatch where rollout_id = ?")) {
            query.setString(1, rolloutId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getDouble(1) : null;
            }
        }
    }

    @Test
    void a_bad_rate_is_a_400_naming_the_field_and_stores_nothing() throws Exception {
        String model = fleet(2);
        long before = rollouts();
        Api.createRollout(Map.of("releaseId", model + "-release", "target", Map.of("model", model),
                "rolloutRate", Map.of("maximumPerMinute", 100, "exponentialRate", Map.of("baseRatePerMinute", 10,
                        "incrementFactor", 9.0, "rateIncreaseCriteria", Map.of("numberOfNotifiedThings", 5)))))
                .then().statusCode(400)
                .contentType("application/problem+json");
        Api.createRollout(Map.of("releaseId", model + "-release", "target", Map.of("model", model),
                "rolloutRate", Map.of("exponentialRate", Map.of("baseRatePerMinute", 10, "incrementFactor", 2.0,
                        "rateIncreaseCriteria", Map.of("numberOfNotifiedThings", 5, "numberOfSucceededThings", 5)))))
                .then().statusCode(400);
        Api.createRollout(Map.of("releaseId", model + "-release", "target", Map.of("model", model),
                "rolloutRate", Map.of())).then().statusCode(400);
        assertThat(rollouts()).isEqualTo(before);
    }

    private String fleet(int size) {
        String model = Fleet.uniqueModel();
        IntStream.range(0, size).forEach(i -> TestKafka.send(Fleet.registered(model + String.format("-%03d", i), model, "1")));
        TestKafka.send(Fleet.release(model + "-release", "2.0.0", model));
        Api.awaitRelease(model + "-release");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Api.asViewer().get("/api/v1/devices?model=" + model + "&size=1").jsonPath()
                        .getInt("total") == size);
        return model;
    }

    private String create(String model, Map<String, Object> rate) {
        return Api.createRollout(Map.of("releaseId", model + "-release", "target", Map.of("model", model),
                "waves", List.of(100), "soakTime", "PT1S", "rolloutRate", rate))
                .then().statusCode(201).extract().path("id");
    }

    private List<InstallRequested> awaitInstalls(String rolloutId, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId)), list -> list.size() >= count);
    }

    private static Duration spread(List<InstallRequested> sent) {
        List<InstallRequested> ordered = sent.stream().sorted(Comparator.comparing(InstallRequested::occurredAt))
                .toList();
        return Duration.between(ordered.get(0).occurredAt(), ordered.get(ordered.size() - 1).occurredAt());
    }

    private long rollouts() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select count(*) from rollout");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
