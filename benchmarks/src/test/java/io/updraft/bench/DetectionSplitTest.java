package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetectionSplitTest {
    private static final long T = 1_765_000_000_000L;

    @Test
    void splitsTheTimeFromTheDeviceToTheRollbackIntoConsecutiveStages() {
        // device sent at T, gateway took it 200 ms later, relayed at +50 s, consumed by +80 s, decided +80.5 s
        DetectionSplit split = new DetectionSplit(T, T + 200, T + 50_000, T + 80_000, T + 80_500, T + 80_600);

        assertThat(split.stages()).containsEntry("device → topic", 50_000L)
                .containsEntry("  device → gateway intake (HTTP)", 200L)
                .containsEntry("  gateway intake → on device-reports (outbox relay)", 49_800L)
                .containsEntry("waiting in telemetry's input", 30_000L)
                .containsEntry("processing to the decision", 500L)
                .containsEntry("decision → RollbackTriggered read (commit)", 100L)
                .containsEntry("total: device → RollbackTriggered read", 80_600L)
                .containsEntry("deciding record's timestamp → RollbackTriggered read", 30_600L);
    }

    @Test
    void aLagSampleTakenAfterTheDecisionCountsAsConsumedAtTheDecision() {
        // sampled every 2 s: the first sample past the record came 1.5 s after the decision it led to
        DetectionSplit split = new DetectionSplit(T, T + 10, T + 100, T + 3_000, T + 1_500, T + 1_600);

        assertThat(split.consumedBy()).isEqualTo(T + 1_500);
        assertThat(split.stages()).containsEntry("waiting in telemetry's input", 1_400L)
                .containsEntry("processing to the decision", 0L);
        assertThat(split.lines().get(0)).contains("first lag sample after: " + java.time.Instant.ofEpochMilli(T + 3_000));
    }

    @Test
    void unknownInstantsLeaveTheirStagesUnknown() {
        DetectionSplit split = new DetectionSplit(null, T, T + 100, null, T + 900, T + 1_000);

        assertThat(split.stages().get("device → topic")).isNull();
        assertThat(split.stages().get("total: device → RollbackTriggered read")).isNull();
        // without a lag sample past the record, it was consumed by the decision at the latest
        assertThat(split.stages()).containsEntry("waiting in telemetry's input", 800L)
                .containsEntry("deciding record's timestamp → RollbackTriggered read", 900L);
        assertThat(split.lines()).anySatisfy(line -> assertThat(line).contains("device → topic").endsWith("?"));
    }
}
