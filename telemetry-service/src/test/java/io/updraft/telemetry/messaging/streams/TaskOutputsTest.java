package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams internals ADR 0027 relies on, in a task Kafka Streams itself builds: a store's context gives the
 * task's producer to flush, and the referee's window store finds the cohort store it is written after. Should an
 * upgrade of Kafka Streams change either, the ordering would silently fall away: this test fails instead.
 */
class TaskOutputsTest {
    @TempDir
    Path stateDirs;

    @Test
    void given_the_health_topology_in_a_task_when_its_stores_commit_then_the_windows_follow_the_cohorts_and_the_producer()
            throws Exception {
        TopologySettings settings = new TopologySettings(Topics.DEVICE_REPORTS, Topics.DEVICE_TELEMETRY,
                Topics.ROLLOUT_EVENTS, Topics.ROLLBACKS, HealthTopologyTest.DEFAULTS, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofDays(1));
        for (String guarantee : new String[] { StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2 }) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "task-outputs-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateDirs, "state").toString());
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            try (TopologyTestDriver driver = new TopologyTestDriver(
                    HealthTopology.build(settings, created -> settings.defaults()), props)) {
                Object windows = driver.getWindowStore(HealthTopology.WINDOW_STORE);
                assertThat(windows).as(guarantee).isInstanceOf(OrderedWindowStore.class);
                OrderedWindowStore<?> ordered = (OrderedWindowStore<?>) windows;
                assertThat(ordered.writtenAfter()).as(guarantee).isInstanceOf(WriteBackStore.class)
                        .isSameAs(driver.getKeyValueStore(HealthTopology.COHORT_STORE));
                assertThat(ordered.acknowledgesOutputs()).as(guarantee).isTrue();
                assertThat(driver.getKeyValueStore(HealthTopology.DEVICE_STORE)).isInstanceOf(WriteBackStore.class);
                assertThat(driver.getKeyValueStore(HealthTopology.HEARTBEAT_STORE)).isInstanceOf(WriteBackStore.class);
            }
        }
    }
}
