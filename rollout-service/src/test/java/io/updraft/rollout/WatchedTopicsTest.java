package io.updraft.rollout;

import static org.awaitility.Awaitility.await;

import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the rollout tests watch: {@code device-commands} and {@code rollout-events}, read fresh for every test. */
abstract class WatchedTopicsTest {
    TestKafka.Tail commands;
    TestKafka.Tail rolloutEvents;

    @BeforeEach
    void watch() {
        commands = TestKafka.tail(Topics.DEVICE_COMMANDS);
        rolloutEvents = TestKafka.tail(Topics.ROLLOUT_EVENTS);
    }

    @AfterEach
    void close() {
        commands.close();
        rolloutEvents.close();
    }

    /** At least {@code expected} installs (not rollbacks) of the rollout's wave on device-commands. */
    List<InstallRequested> awaitInstalls(String rolloutId, int wave, int expected) {
        return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> commands.events(DeviceCommand.class, InstallRequested.class,
                        c -> c.rolloutId().equals(rolloutId) && c.wave() == wave && !c.rollback()),
                        found -> found.size() >= expected);
    }
}
