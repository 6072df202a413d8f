package io.updraft.telemetry.messaging.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The health topology in a process of its own, for {@link AtLeastOnceTriggerIT} to kill with SIGKILL: nothing is
 * flushed, closed or committed on the way out. Commits an hour apart, so none happens before the kill. Prints
 * {@code RUNNING} once it runs. Arguments: bootstrap servers, topic prefix, application id, state directory,
 * processing guarantee.
 */
public final class AtLeastOnceTopologyProcess {
    private AtLeastOnceTopologyProcess() {
    }

    /** The settings of the IT and of this process: topics under {@code prefix}, 1 s windows. */
    static TopologySettings settings(String prefix) {
        return new TopologySettings("device-reports", "device-telemetry", "rollout-events", "rollbacks",
                HealthTopologyTest.DEFAULTS, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofHours(1)).withTopicPrefix(prefix);
    }

    static Properties props(String bootstrap, String applicationId, String stateDir, String guarantee,
            int commitIntervalMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        return props;
    }

    public static void main(String[] args) throws InterruptedException {
        TopologySettings settings = settings(args[1]);
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, created -> settings.defaults()),
                props(args[0], args[2], args[3], args[4], 3_600_000));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("RUNNING");
                System.out.flush();
            }
        });
        streams.start();
        new CountDownLatch(1).await(); // until killed
    }
}
