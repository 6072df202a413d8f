package io.updraft.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DevStackIT {

    @Test
    void startsARealBrokerAndARealDatabasePerService() throws Exception {
        DevStack stack = DevStack.shared();

        // given a record produced to the real broker
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.kafkaBootstrap()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("releases", "r-1", "hello")).get(30, TimeUnit.SECONDS);
        }
        // then it can be read back
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrap());
        props.put("group.id", "dev-stack-test");
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("releases"));
            String seen = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    seen = records.iterator().next().value();
                }
            }
            assertThat(seen).isEqualTo("hello");
        }
        // and every service's database exists on the real PostgreSQL
        for (String database : DevStack.DATABASES) {
            try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(database), DevStack.DB_USER,
                    DevStack.DB_PASSWORD); ResultSet result = connection.createStatement().executeQuery("select version()")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).startsWith("PostgreSQL 14");
            }
        }
    }

    @Test
    void mintsTokensTheDevKeyVerifies() throws Exception {
        DevKeys keys = DevKeys.in(DevStack.shared().dir().resolve("keys"));
        String token = keys.tokens().mint("ci", Duration.ofMinutes(5), "publisher");
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(DevKeys.readPublicKey(keys.publicKeyFile()));
        verifier.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(verifier.verify(java.util.Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))).contains("\"groups\":[\"publisher\"]");
    }
}
