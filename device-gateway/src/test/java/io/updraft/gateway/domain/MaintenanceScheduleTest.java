package io.updraft.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.events.MaintenanceWindow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceScheduleTest {
    /** Every day 02:00 for two hours, Berlin time (UTC+1 in November). */
    private static final MaintenanceSchedule NIGHTLY = MaintenanceSchedule.of(
            new MaintenanceWindow("0 0 2 * * ?", "PT2H", "Europe/Berlin"));

    @Test
    void givenNightlyWindow_whenAskedAroundIt_thenOpenOnlyBetweenItsStartAndEnd() {
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T00:59:59Z"))).isFalse();
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T01:00:00Z"))).isTrue();
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T02:30:00Z"))).isTrue();
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T02:59:59.900Z"))).isTrue();
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T03:00:00Z"))).isFalse();
        assertThat(NIGHTLY.isOpen(Instant.parse("2026-11-27T15:00:00Z"))).isFalse();
    }

    @Test
    void givenNoZone_whenEvaluated_thenUtc() {
        MaintenanceSchedule utc = MaintenanceSchedule.of(new MaintenanceWindow("0 0 2 * * ?", "PT1H", null));
        assertThat(utc.isOpen(Instant.parse("2026-11-27T02:10:00Z"))).isTrue();
        assertThat(utc.isOpen(Instant.parse("2026-11-27T01:10:00Z"))).isFalse();
    }

    @Test
    void givenWindowThatNeverOpenedYet_whenEvaluated_thenClosed() {
        MaintenanceSchedule future = MaintenanceSchedule.of(new MaintenanceWindow("0 0 0 1 1 ? 2099", "PT1H", "UTC"));
        assertThat(future.isOpen(Instant.parse("2026-11-27T02:10:00Z"))).isFalse();
    }

    @Test
    void givenUnreadableWindow_whenParsed_thenIllegalArgument() {
        assertThatThrownBy(() -> MaintenanceSchedule.of(new MaintenanceWindow("every night", "PT1H", "UTC")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaintenanceSchedule.of(new MaintenanceWindow("0 0 2 * * ?", "2 hours", "UTC")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaintenanceSchedule.of(new MaintenanceWindow("0 0 2 * * ?", "PT1H", "Mars/Base")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaintenanceSchedule.of(new MaintenanceWindow("0 0 2 * * ?", "PT0S", "UTC")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
