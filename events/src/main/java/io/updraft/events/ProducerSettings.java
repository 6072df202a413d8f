package io.updraft.events;

import java.util.Properties;

/**
 * How every Updraft producer delivers events: acks=all and idempotent (no loss, no duplicate on retry), lz4-compressed
 * batches of up to 256 KiB after at most 5 ms. The services' producer and the benchmarks' raw-producer baselines both
 * use these, so a benchmark ratio compares a service with the same producer, not with a differently tuned one.
 * (Plain Kafka client keys, so this module needs no Kafka dependency.)
 */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    public static Properties delivery() {
        Properties props = new Properties();
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "5");
        props.put("batch.size", "262144");
        props.put("compression.type", "lz4");
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms or the client refuses to start
        props.put("request.timeout.ms", "30000");
        props.put("delivery.timeout.ms", "60000");
        return props;
    }
}
