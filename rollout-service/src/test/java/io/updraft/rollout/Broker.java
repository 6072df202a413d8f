package io.updraft.rollout;

import io.updraft.devstack.DevStack;
import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces to the test broker the way other services do: key = event.key(), value = EventJson.write(event). */
final class Broker {
    private static KafkaProducer<String, String> producer;

    private Broker() {
    }

    static void send(UpdraftEvent event) {
        sendRaw(event.topic(), event.key(), EventJson.write(event));
    }

    static synchronized void sendRaw(String topic, String key, String value) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DevStack.shared().kafkaBootstrap());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }
}
