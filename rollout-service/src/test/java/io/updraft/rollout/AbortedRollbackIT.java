package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * telemetry-service decides rollbacks inside Kafka transactions (exactly-once Streams): a decision whose transaction
 * aborted was never made, so rollout-service reads {@code rollbacks} {@code read_committed} and never applies it.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class AbortedRollbackIT {
    @Test
    void given_a_rollback_decision_whose_transaction_aborted_then_its_cohort_stays_active() throws Exception {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "2.0.0", model));
        String aborted = model + ":1";
        String committed = model + ":2";
        List<String> devices = List.of(model + "-a", model + "-b");
        TestKafka.send(Fleet.registered(devices.get(0), model, "1"));
        TestKafka.send(Fleet.registered(devices.get(1), model, "2"));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "soakTime", "PT1H")).then().statusCode(201).extract().path("id");

        // given telemetry's decision for one cohort, in a transaction that aborted
        try (KafkaProducer<String, String> telemetry = transactionalProducer()) {
            telemetry.initTransactions();
            telemetry.beginTransaction();
            RollbackTriggered never = Fleet.rollback(rolloutId, aborted);
            telemetry.send(new ProducerRecord<>(never.topic(), never.key(), EventJson.write(never))).get();
            telemetry.abortTransaction();
        }
        // and, after it on the same partition, a committed decision for the other cohort
        TestKafka.send(Fleet.rollback(rolloutId, committed));

        // then only the committed decision is applied
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "ROLLED_BACK".equals(
                Api.rollout(rolloutId).jsonPath().getString("cohorts.find { it.cohort == '" + committed + "' }.state")));
        JsonPath view = Api.rollout(rolloutId).jsonPath();
        assertThat(view.getString("cohorts.find { it.cohort == '" + aborted + "' }.state")).isEqualTo("ACTIVE");
        assertThat(view.getString("state")).isEqualTo("RUNNING");
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborted-rollback-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
