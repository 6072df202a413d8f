package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.telemetry.domain.CohortPolicy;
import io.updraft.telemetry.domain.Figures;
import io.updraft.telemetry.domain.PolicyRule;
import io.updraft.telemetry.domain.RuleRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Every record the topology keeps in a store or sends through its repartition topic reads back as it was written. */
class CompactSerdeTest {
    private static final CohortPolicy POLICY = new CohortPolicy(
            new CohortPolicy.Limits(0.25, null, 4, Duration.ofSeconds(90, 5)),
            new CohortPolicy.Limits(null, 2, 1, Duration.ZERO), new CohortPolicy.Limits(0.3, 7, 3, Duration.ZERO), 4,
            Duration.ofMinutes(10), new CohortPolicy.Limits(0.3, null, 3, Duration.ofHours(1)), Duration.ofMinutes(15),
            new CohortPolicy.Regression(2.5, 0.1, 7, Duration.ofMinutes(5)), 2, 1, 12);
    private static final Figures FIGURES = new Figures(3, 2, 40, 5, 1, 4, 9, 6, 2, 1, 3, Map.of("cpu", 12.5, "temp", 400.0),
            Map.of("cpu", 40L, "temp", 10L));

    @Test
    void given_a_device_state_with_counted_actions_when_written_and_read_then_it_is_the_same() {
        DeviceState device = new DeviceState("rollout-1", "gw-200:1.0", 2, "1.2.0", List.of(7L, 9L, 1L << 40), 12, 3,
                true, true, false, new long[] { 1_700_000_000_000L, 2, 1_700_000_001_000L, 1 });

        assertThat(roundTrip(DeviceState.SERDE, device)).isEqualTo(device);
        assertThat(roundTrip(DeviceState.SERDE, DeviceState.UNKNOWN)).isEqualTo(DeviceState.UNKNOWN);
    }

    @Test
    void given_figures_pending_health_and_heartbeats_when_written_and_read_then_they_are_the_same() {
        PendingHealth pending = new PendingHealth("rollout-1", "gw-200:1.0", 1, null, 1_700_000_000_123L, FIGURES);
        HeartbeatDue due = new HeartbeatDue("rollout-1", "gw-200:1.0", 3, "1.2.0", 42L, 12L, 1);

        assertThat(roundTrip(CompactSerde.FIGURES, FIGURES)).isEqualTo(FIGURES);
        assertThat(roundTrip(CompactSerde.FIGURES, Figures.NONE)).isEqualTo(Figures.NONE);
        assertThat(roundTrip(PendingHealth.SERDE, pending)).isEqualTo(pending);
        assertThat(roundTrip(HeartbeatDue.SERDE, due)).isEqualTo(due);
    }

    @Test
    void given_every_kind_of_signal_when_written_and_read_then_it_is_the_same() {
        DeviceState device = DeviceState.UNKNOWN.runs("rollout-1", "gw-200:1.0", 2, "1.2.0");
        DeviceState crashed = device.reportedOnRelease(1_700_000_000_000L, true, false, 3);
        List<CohortSignal> signals = List.of(CohortSignal.of(CohortSignal.Kind.INSTALL_FAILED, device),
                CohortSignal.of(CohortSignal.Kind.INSTALL_BOOT_FAILED, device),
                CohortSignal.health("rollout-1", "gw-200:1.0", 2, "1.2.0", FIGURES),
                CohortSignal.baseline(device, 11, 2), CohortSignal.policy("rollout-1", "gw-200:1.0", POLICY),
                CohortSignal.heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED,
                        new HeartbeatDue("rollout-1", "gw-200:1.0", 2, "1.2.0", 5L, 1L, 2), 90_000, 2,
                        CohortSignal.deviceOf("tenant-a/gw-17")),
                CohortSignal.deviceHealth(device, crashed));

        // records with an array compare it by reference: compare what they print, the arrays by content
        assertThat(signals).allSatisfy(signal -> {
            CohortSignal back = roundTrip(CohortSignal.SERDE, signal);
            assertThat(back).usingRecursiveComparison().isEqualTo(signal);
        });
    }

    @Test
    void given_a_decided_cohort_with_rule_runs_when_written_and_read_then_it_is_the_same() {
        CohortState state = CohortState.start("rollout-1", "gw-200:1.0", 1_700_000_000_000L)
                .with(CohortSignal.policy("rollout-1", "gw-200:1.0", POLICY), Figures.NONE, 1_700_000_000_000L)
                .with(CohortSignal.health("rollout-1", "gw-200:1.0", 2, "1.2.0", FIGURES), FIGURES, 1_700_000_000_100L)
                .withRun(PolicyRule.CRASH_REGRESSION, new RuleRun(3, 2))
                .decidedBecause("crash rate 1.00 per report >= 0.20");

        assertThat(roundTrip(CohortState.SERDE, state)).isEqualTo(state);
        CohortState fresh = CohortState.start("rollout-1", "gw-100:1.0", 5L);
        assertThat(roundTrip(CohortState.SERDE, fresh)).isEqualTo(fresh);
        CohortState silent = state.withSilent(CohortSignal.deviceOf("d-2")).withSilent(CohortSignal.deviceOf("d-1"));
        assertThat(roundTrip(CohortState.SERDE, silent)).isEqualTo(silent).isNotEqualTo(state);
        assertThat(roundTrip(CohortState.SERDE, silent).countedSilent(CohortSignal.deviceOf("d-1"))).isTrue();
    }

    @Test
    void given_a_state_and_a_signal_written_before_devices_were_named_when_read_then_they_read_with_none() {
        CohortState state = CohortState.start("rollout-1", "gw-200:1.0", 1_700_000_000_000L)
                .with(CohortSignal.health("rollout-1", "gw-200:1.0", 2, "1.2.0", FIGURES), FIGURES, 1_700_000_000_100L);
        byte[] bytes = CohortState.SERDE.serializer().serialize("t", state);
        // the previous layout: the same bytes without the trailing count of silent devices
        byte[] before = java.util.Arrays.copyOf(bytes, bytes.length - Integer.BYTES);
        assertThat(CohortState.SERDE.deserializer().deserialize("t", before)).isEqualTo(state);

        CohortSignal signal = CohortSignal.heartbeat(CohortSignal.Kind.HEARTBEAT_MISSED,
                new HeartbeatDue("rollout-1", "gw-200:1.0", 2, "1.2.0", 5L, 1L, 2), 90_000, 2, 42L);
        byte[] signalBytes = CohortSignal.SERDE.serializer().serialize("t", signal);
        CohortSignal old = CohortSignal.SERDE.deserializer().deserialize("t",
                java.util.Arrays.copyOf(signalBytes, signalBytes.length - Long.BYTES));
        assertThat(old.device()).isEqualTo(CohortSignal.NO_DEVICE);
        assertThat(old.checkpoints()).isEqualTo(2);
    }

    @Test
    void given_bytes_of_another_format_when_read_then_it_fails_loudly() {
        byte[] bytes = DeviceState.SERDE.serializer().serialize("t", DeviceState.UNKNOWN);
        bytes[0] = (byte) (CompactSerde.FORMAT + 1);

        assertThatThrownBy(() -> DeviceState.SERDE.deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> DeviceState.SERDE.deserializer().deserialize("t", "{\"rolloutId\":1}".getBytes()))
                .isInstanceOf(SerializationException.class);
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("topic", serde.serializer().serialize("topic", value));
    }
}
