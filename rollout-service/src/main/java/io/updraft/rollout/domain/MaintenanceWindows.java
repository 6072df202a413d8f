package io.updraft.rollout.domain;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.updraft.events.MaintenanceWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Checks a maintenance window the way device-gateway reads it ({@code MaintenanceSchedule}: Quartz cron via
 * cron-utils, positive ISO-8601 duration, zone id, UTC when blank), so a window the gateway could not honour is
 * refused when the rollout is created instead of being parked by the gateway later.
 */
public final class MaintenanceWindows {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private MaintenanceWindows() {
    }

    /** @throws IllegalArgumentException with a message fit for a 400, naming the part that is wrong */
    public static MaintenanceWindow of(String schedule, String duration, String timezone) {
        if (schedule == null || schedule.isBlank()) {
            throw new IllegalArgumentException("maintenanceWindow.schedule is required: a Quartz cron expression"
                    + " such as \"0 0 2 ? * *\" (sec min hour day-of-month month day-of-week)");
        }
        try {
            QUARTZ.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("maintenanceWindow.schedule is not a Quartz cron expression (sec min"
                    + " hour day-of-month month day-of-week [year]): \"" + schedule + "\": " + e.getMessage(), e);
        }
        if (duration == null || duration.isBlank()) {
            throw new IllegalArgumentException("maintenanceWindow.duration is required: an ISO-8601 duration such as PT2H");
        }
        try {
            Duration open = Duration.parse(duration);
            if (open.isNegative() || open.isZero()) {
                throw new IllegalArgumentException("maintenanceWindow.duration must be positive: " + duration);
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "maintenanceWindow.duration must be an ISO-8601 duration such as PT2H, got " + duration, e);
        }
        String zone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("maintenanceWindow.timezone is not a zone id such as Europe/Berlin: "
                    + timezone, e);
        }
        return new MaintenanceWindow(schedule, duration, zone);
    }
}
