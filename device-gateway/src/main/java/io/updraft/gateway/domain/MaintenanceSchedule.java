package io.updraft.gateway.domain;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.updraft.events.MaintenanceWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A {@link MaintenanceWindow} made executable: it opens whenever its Quartz cron expression fires (in its zone) and
 * stays open for its duration, as hawkBit's maintenance windows do.
 */
public final class MaintenanceSchedule {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final ExecutionTime openings;
    private final Duration duration;
    private final ZoneId zone;

    private MaintenanceSchedule(ExecutionTime openings, Duration duration, ZoneId zone) {
        this.openings = openings;
        this.duration = duration;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException when the cron, the duration or the zone cannot be read */
    public static MaintenanceSchedule of(MaintenanceWindow window) {
        if (window.cron() == null || window.duration() == null) {
            throw new IllegalArgumentException("a maintenance window needs cron and duration");
        }
        try {
            Duration duration = Duration.parse(window.duration());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("maintenance window duration must be positive: " + window.duration());
            }
            ZoneId zone = window.zone() == null || window.zone().isBlank() ? ZoneId.of("UTC") : ZoneId.of(window.zone());
            return new MaintenanceSchedule(ExecutionTime.forCron(QUARTZ.parse(window.cron())), duration, zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unreadable maintenance window " + window + ": " + e.getMessage(), e);
        }
    }

    public boolean isOpen(Instant now) {
        ZonedDateTime at = now.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
        if (openings.isMatch(at)) {
            return true;
        }
        return openings.lastExecution(at).map(opened -> at.isBefore(opened.plus(duration))).orElse(false);
    }
}
