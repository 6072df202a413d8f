package io.updraft.rollout.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.events.DeviceReport;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.persistence.HistoryRepository.DeviceEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A device's ACTION_CANCELED history entry names who asked for the cancel and why, when an operator did. */
class RolloutJournalTest {
    private static final Instant AT = Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void anOperatorsCancelNamesTheOperatorAndTheReason() {
        DeviceEntry entry = RolloutJournal.entryOf(new DeviceReport.ActionCanceled("e1", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 7, "r1", "gw:1", "alice", "wrong image"));

        assertThat(entry.type()).isEqualTo("ACTION_CANCELED");
        assertThat(entry.actionId()).isEqualTo(7L);
        assertThat(entry.actor()).isEqualTo("alice");
        assertThat(entry.reason()).isEqualTo("wrong image");
    }

    @Test
    void anOperatorsCancelWithoutAReasonNamesTheOperatorOnly() {
        DeviceEntry entry = RolloutJournal.entryOf(new DeviceReport.ActionCanceled("e1", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 7, "r1", "gw:1", "alice", null));

        assertThat(entry.actor()).isEqualTo("alice");
        assertThat(entry.reason()).isNull();
    }

    @Test
    void aCancelNoOperatorAskedForHasNoDetails() {
        DeviceEntry entry = RolloutJournal.entryOf(new DeviceReport.ActionCanceled("e1", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 7, "r1", "gw:1"));

        assertThat(entry.actor()).isNull(); // shown as the device's own entry
        assertThat(entry.reason()).isNull();
    }

    @Test
    void aDenialIsAnEntryOfItsOwnWithTheDevicesCodeAndWords() {
        DeviceEntry entry = RolloutJournal.entryOf(new DeviceReport.ActionDenied("e1", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 7, "r1", "gw:1", 451, java.util.List.of("not while driving")));

        assertThat(entry.type()).isEqualTo("ACTION_DENIED");
        assertThat(entry.actionId()).isEqualTo(7L);
        assertThat(entry.details()).isEqualTo("code 451 / not while driving");
        assertThat(RolloutJournal.entryOf(new DeviceReport.ActionDenied("e2", AT, UpdraftEvent.SCHEMA_VERSION, "d1",
                8, "r1", "gw:1", null, null)).details()).isNull();
    }

    @Test
    void anExpiryNamesTheConfirmationDeadlineWhenThatWasWhatRanOut() {
        DeviceEntry unanswered = RolloutJournal.entryOf(new DeviceReport.ActionExpired("e3", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 9, "r1", "gw:1", DeviceReport.ActionExpired.CONFIRMATION_DEADLINE));
        assertThat(unanswered.type()).isEqualTo("ACTION_EXPIRED");
        assertThat(unanswered.reason()).isEqualTo("confirmation-deadline");
        assertThat(unanswered.details()).contains("confirmation deadline");
        DeviceEntry late = RolloutJournal.entryOf(new DeviceReport.ActionExpired("e4", AT,
                UpdraftEvent.SCHEMA_VERSION, "d1", 10, "r1", "gw:1"));
        assertThat(late.reason()).isNull();
        assertThat(late.details()).isNull();
    }
}
