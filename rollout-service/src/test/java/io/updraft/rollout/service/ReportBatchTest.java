package io.updraft.rollout.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.persistence.DeviceInventory.Described;
import io.updraft.rollout.persistence.DeviceInventory.Installed;
import io.updraft.rollout.service.ReportBatch.ActionReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch's reports sorted into inventory writes and action reports, as one-by-one application would end. */
class ReportBatchTest {
    private static final Instant T = Instant.parse("2026-11-28T01:00:00Z");
    private int ids;

    @Test
    void givenSightingsOutOfOrder_thenEachDeviceKeepsItsNewestAndAnExpiryIsNoSighting() {
        ReportBatch batch = ReportBatch.of(List.of(
                seen("a", T.plusSeconds(5)),
                seen("a", T),
                progressed("b", 1, T.plusSeconds(2)),
                canceled("b", 2, T.plusSeconds(1)),
                finished("c", 3, DeviceReport.Outcome.FAILURE, "r1", T.plusSeconds(9)),
                expired("d", 4, T.plusSeconds(30))));

        assertThat(batch.lastSeen()).containsExactly(Map.entry("a", T.plusSeconds(5)), Map.entry("b", T.plusSeconds(2)),
                Map.entry("c", T.plusSeconds(9)));
        assertThat(batch.installed()).isEmpty();
        assertThat(batch.changedDevices()).isEmpty();
        assertThat(batch.actionReports()).containsExactly(new ActionReport("b", 1, ActionState.RUNNING),
                new ActionReport("b", 2, ActionState.CANCELED), new ActionReport("c", 3, ActionState.FAILED),
                new ActionReport("d", 4, ActionState.EXPIRED));
    }

    @Test
    void givenARejectedCancel_thenItsProgressSaysSoAndOtherProgressDoesNot() {
        ReportBatch batch = ReportBatch.of(List.of(progressed("a", 1, T),
                new DeviceReport.ActionProgressed(id(), T, UpdraftEvent.SCHEMA_VERSION, "a", 1, "r", "c",
                        "cancel-rejected", List.of())));

        assertThat(batch.actionReports()).containsExactly(new ActionReport("a", 1, ActionState.RUNNING, false),
                new ActionReport("a", 1, ActionState.RUNNING, true));
    }

    @Test
    void givenSeveralInstalledReleases_thenTheLastInOffsetOrderWinsWhateverItsTime() {
        ReportBatch batch = ReportBatch.of(List.of(
                finished("a", 1, DeviceReport.Outcome.SUCCESS, "r2", T.plusSeconds(5)),
                installed("a", "r1", T),
                installed("b", "r1", T),
                finished("b", 2, DeviceReport.Outcome.SUCCESS, "r2", T.plusSeconds(1))));

        assertThat(batch.installed()).containsExactly(new Installed("a", "r1", "v-r1", T),
                new Installed("b", "r2", "v-r2", T.plusSeconds(1)));
        assertThat(batch.lastSeen()).containsEntry("a", T.plusSeconds(5)).containsEntry("b", T.plusSeconds(1));
        assertThat(batch.changedDevices()).as("installed versions reported; a finished action is not").containsExactly(
                "a", "b");
        assertThat(batch.actionReports()).extracting(ActionReport::next).containsExactly(ActionState.SUCCEEDED,
                ActionState.SUCCEEDED);
    }

    @Test
    void givenRegistrationsAndAttributeUpdates_thenEachDeviceKeepsItsLastSetAndIsOfferedOnce() {
        ReportBatch batch = ReportBatch.of(List.of(
                new DeviceReport.DeviceRegistered(id(), T, UpdraftEvent.SCHEMA_VERSION, "b", "t", Map.of("model", "n")),
                new DeviceReport.DeviceRegistered(id(), T, UpdraftEvent.SCHEMA_VERSION, "a", "t", Map.of("model", "m")),
                new DeviceReport.DeviceAttributesUpdated(id(), T.plusSeconds(1), UpdraftEvent.SCHEMA_VERSION, "a",
                        "merge", Map.of("model", "m", "region", "eu")),
                new DeviceReport.DeviceAttributesUpdated(id(), T.minusSeconds(1), UpdraftEvent.SCHEMA_VERSION, "a",
                        "replace", Map.of("model", "m", "region", "us"))));

        assertThat(batch.described()).as("the last set in offset order, whatever its time").containsExactly(
                new Described("a", Map.of("model", "m", "region", "us"), T.minusSeconds(1)),
                new Described("b", Map.of("model", "n"), T));
        assertThat(batch.changedDevices()).containsExactly("b", "a");
        assertThat(batch.lastSeen()).containsExactly(Map.entry("a", T.plusSeconds(1)), Map.entry("b", T));
    }

    private String id() {
        return "e" + ++ids;
    }

    private DeviceReport seen(String device, Instant at) {
        return new DeviceReport.DeviceSeen(id(), at, UpdraftEvent.SCHEMA_VERSION, device);
    }

    private DeviceReport progressed(String device, long action, Instant at) {
        return new DeviceReport.ActionProgressed(id(), at, UpdraftEvent.SCHEMA_VERSION, device, action, "r", "c",
                "proceeding", List.of());
    }

    private DeviceReport canceled(String device, long action, Instant at) {
        return new DeviceReport.ActionCanceled(id(), at, UpdraftEvent.SCHEMA_VERSION, device, action, "r", "c");
    }

    private DeviceReport expired(String device, long action, Instant at) {
        return new DeviceReport.ActionExpired(id(), at, UpdraftEvent.SCHEMA_VERSION, device, action, "r", "c");
    }

    private DeviceReport finished(String device, long action, DeviceReport.Outcome outcome, String release,
            Instant at) {
        return new DeviceReport.ActionFinished(id(), at, UpdraftEvent.SCHEMA_VERSION, device, action, "r", 1, "c",
                release, "v-" + release, false, outcome, List.of());
    }

    private DeviceReport installed(String device, String release, Instant at) {
        return new DeviceReport.InstalledVersionReported(id(), at, UpdraftEvent.SCHEMA_VERSION, device, release,
                "v-" + release);
    }
}
