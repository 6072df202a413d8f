package io.updraft.support.kafka;

import io.smallrye.common.annotation.Identifier;
import io.updraft.events.EventJson;
import io.updraft.events.ProducerSettings;
import io.updraft.events.UpdraftEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's one idempotent producer (acks=all). The outbox relay sends through it; so do lossy, sampled events
 * (heartbeats) that must not cost a database write.
 */
@ApplicationScoped
public class EventProducer {
    private final KafkaProducer<String, String> producer;
    private final String source;

    /**
     * @param brokerConfig every {@code kafka.*} setting of the service (Quarkus' {@code default-kafka-broker}, env
     *        variables included): security protocol, SASL and TLS settings reach this producer like every other
     *        client of the service
     */
    @Inject
    public EventProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String source,
            @Identifier("default-kafka-broker") Map<String, Object> brokerConfig) {
        this.source = source;
        Properties props = new Properties();
        brokerConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                props.put(key, value);
            }
        });
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, source + "-events");
        props.putAll(ProducerSettings.delivery());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    public String source() {
        return source;
    }

    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return producer.send(record);
    }

    /** Fire-and-forget for events that may be lost (sampled heartbeats); everything else goes through the outbox. */
    public Future<RecordMetadata> sendLossy(UpdraftEvent event) {
        return producer.send(EventRecords.toRecord(source, event, EventJson.write(event)));
    }

    /** {@link #sendLossy(UpdraftEvent)} of an event in {@code tenant} (its JSON field, header and key prefix). */
    public Future<RecordMetadata> sendLossy(String tenant, UpdraftEvent event) {
        return producer.send(EventRecords.toRecord(tenant, source, event, EventJson.write(tenant, event)));
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Fetches the topic's metadata (partitions and their leaders) now, so the first real send does not wait for it:
     * a start-up warm-up calls it; it sends nothing. Bounded by the producer's {@code max.block.ms}.
     */
    public void prepare(String topic) {
        producer.partitionsFor(topic);
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
