package io.updraft.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.updraft.devstack.DevStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The three-node cluster is replicated as it says, and a {@code kill -9} of a leader loses no acknowledged write. */
class KafkaClusterIT {
    private static final String TOPIC = "device-commands";

    @Test
    void aKilledLeaderHandsItsPartitionsOverAndAcknowledgedRecordsSurvive() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(Path.of("target", "kafka-cluster-" + ProcessHandle.current().pid()))) {
            // given the dev stack's topics on three nodes, every partition on all three, two needed in sync
            assertThat(cluster.nodeIds()).containsExactly(1, 2, 3);
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            for (String spec : DevStack.TOPICS) {
                String[] parts = spec.split(":");
                assertThat(cluster.inSyncReplicas(parts[0])).hasSize(Integer.parseInt(parts[1]))
                        .allSatisfy((partition, isr) -> assertThat(isr).containsExactly(1, 2, 3));
            }
            Config config = cluster.admin().describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC)))
                    .all().get(15, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");

            // and records acknowledged by all in-sync replicas on every partition
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = producer(cluster)) {
                sent.addAll(sendToEveryPartition(producer, "before"));

                // when the leader of partition 0 is killed with SIGKILL
                int victim = cluster.leaders(TOPIC).get(0);
                cluster.kill9(victim);
                assertThat(cluster.isAlive(victim)).isFalse();

                // then another node leads every partition it led
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(cluster.leaders(TOPIC).values()).doesNotContain(victim, -1));
                // and acks=all writes go on with two replicas in sync
                sent.addAll(sendToEveryPartition(producer, "after"));
            }
            // and nothing acknowledged is missing
            assertThat(readAll(cluster)).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrapServers());
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<String> sendToEveryPartition(KafkaProducer<String, String> producer, String label)
            throws Exception {
        List<String> values = new ArrayList<>();
        for (int partition = 0; partition < 6; partition++) {
            String value = label + "-" + partition;
            producer.send(new ProducerRecord<>(TOPIC, partition, "k", value)).get(2, TimeUnit.MINUTES);
            values.add(value);
        }
        return values;
    }

    private static List<String> readAll(KafkaCluster cluster) {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < 6; partition++) {
                partitions.add(new TopicPartition(TOPIC, partition));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return values;
        }
    }
}
