package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A record no consumer can read is parked on its dead-letter topic and the partition keeps flowing. */
@Tag("infrastructure") // CI runs it on both infrastructure paths (ADR 0022)
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class DeadLetterIT {

    @Test
    void given_garbage_on_releases_then_it_is_parked_and_a_later_release_is_still_applied() {
        String releaseId = UUID.randomUUID().toString();
        List<String> garbage = produceGarbage(Topics.RELEASES, releaseId);
        TestKafka.send(Fleet.release(releaseId, "1.0.0", Fleet.uniqueModel()));

        assertParked(Topics.RELEASES, garbage);
        Api.awaitRelease(releaseId);
    }

    @Test
    void given_garbage_on_device_reports_then_it_is_parked_and_a_later_report_is_still_applied() {
        String deviceId = "dev-" + UUID.randomUUID();
        List<String> garbage = produceGarbage(Topics.DEVICE_REPORTS, deviceId);
        TestKafka.send(Fleet.registered(deviceId, "gw-dlq", "1"));

        assertParked(Topics.DEVICE_REPORTS, garbage);
        Api.awaitDevice(deviceId, null);
    }

    @Test
    void given_garbage_on_rollbacks_then_it_is_parked_and_a_later_rollback_is_still_applied() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);

        List<String> garbage = produceGarbage(Topics.ROLLBACKS, rolloutId);
        TestKafka.send(Fleet.rollback(rolloutId, model + ":1"));

        assertParked(Topics.ROLLBACKS, garbage);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "ROLLED_BACK".equals(Api.rollout(rolloutId).jsonPath().getString("cohorts[0].state")));
    }

    /** Not JSON at all, and JSON naming an event type the contract does not know. */
    private static List<String> produceGarbage(String topic, String key) {
        String marker = UUID.randomUUID().toString();
        List<String> garbage = List.of("{not json " + marker,
                "{\"type\":\"NoSuchEvent\",\"eventId\":\"" + marker + "\",\"deviceId\":\"x\",\"rolloutId\":\"x\"}");
        garbage.forEach(value -> TestKafka.send(topic, key, value));
        return garbage;
    }

    private static void assertParked(String topic, List<String> garbage) {
        try (TestKafka.Tail deadLetters = TestKafka.tail(Topics.deadLetter(topic))) {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(deadLetters.values()).containsAll(garbage));
        }
    }
}
