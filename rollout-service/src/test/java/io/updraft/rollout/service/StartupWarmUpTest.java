package io.updraft.rollout.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.updraft.rollout.config.WarmUpConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness waits for the start-up rehearsal, and neither its failure nor its hanging keeps the service unready. */
class StartupWarmUpTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger rounds = new AtomicInteger();

    @AfterEach
    void letGo() {
        release.countDown();
    }

    @Test
    void readiness_is_down_while_the_rehearsal_runs_and_up_once_every_round_ended() {
        StartupWarmUp warmUp = warmUp(config(true, Duration.ofMinutes(5), 3), new WarmUpRehearsal() {
            @Override
            public int rehearse(int devices) throws InterruptedException {
                rounds.incrementAndGet();
                release.await(1, TimeUnit.MINUTES);
                return 12;
            }
        });
        assertThat(state(warmUp)).isEqualTo("PENDING");
        assertThat(warmUp.call().getStatus()).isEqualTo(Status.DOWN);

        warmUp.start(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() == 1);
        assertThat(warmUp.call().getStatus()).isEqualTo(Status.DOWN);
        assertThat(state(warmUp)).isEqualTo("RUNNING");

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.call().getStatus() == Status.UP);
        assertThat(state(warmUp)).isEqualTo("DONE");
        assertThat(rounds).hasValue(3);
    }

    @Test
    void a_failed_rehearsal_is_logged_and_the_service_becomes_ready() {
        StartupWarmUp warmUp = warmUp(config(true, Duration.ofMinutes(5), 3), new WarmUpRehearsal() {
            @Override
            public int rehearse(int devices) {
                rounds.incrementAndGet();
                throw new IllegalStateException("database gone");
            }
        });
        warmUp.start(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.call().getStatus() == Status.UP);
        assertThat(state(warmUp)).isEqualTo("FAILED");
        assertThat(rounds).hasValue(1);
    }

    @Test
    void a_rehearsal_past_its_timeout_no_longer_holds_readiness() {
        StartupWarmUp warmUp = warmUp(config(true, Duration.ofMillis(300), 1), new WarmUpRehearsal() {
            @Override
            public int rehearse(int devices) throws InterruptedException {
                rounds.incrementAndGet();
                release.await(1, TimeUnit.MINUTES);
                return 0;
            }
        });
        warmUp.start(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.call().getStatus() == Status.UP);
        assertThat(state(warmUp)).isEqualTo("TIMED_OUT");
    }

    @Test
    void switched_off_it_is_ready_at_once_and_rehearses_nothing() {
        StartupWarmUp warmUp = warmUp(config(false, Duration.ofMinutes(5), 3), new WarmUpRehearsal() {
            @Override
            public int rehearse(int devices) {
                rounds.incrementAndGet();
                return 0;
            }
        });
        warmUp.start(null);
        assertThat(warmUp.call().getStatus()).isEqualTo(Status.UP);
        assertThat(state(warmUp)).isEqualTo("OFF");
        assertThat(rounds).hasValue(0);
    }

    private static StartupWarmUp warmUp(WarmUpConfig config, WarmUpRehearsal rehearsal) {
        StartupWarmUp warmUp = new StartupWarmUp();
        warmUp.config = config;
        warmUp.rehearsal = rehearsal;
        return warmUp;
    }

    private static String state(StartupWarmUp warmUp) {
        HealthCheckResponse response = warmUp.call();
        return String.valueOf(response.getData().orElseThrow().get("state"));
    }

    private static WarmUpConfig config(boolean enabled, Duration timeout, int rounds) {
        return new WarmUpConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public int devices() {
                return 120;
            }

            @Override
            public int rounds() {
                return rounds;
            }
        };
    }
}
