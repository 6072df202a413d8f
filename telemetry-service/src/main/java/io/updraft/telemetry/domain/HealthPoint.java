package io.updraft.telemetry.domain;

import java.time.Instant;

/** One closed health window of one cohort: its cumulative figures at the window's end (the dashboard's charts). */
public record HealthPoint(String cohort, Instant at, long succeeded, long failed, double failureRate,
        long healthReports, long unhealthyReports, long crashes) {
}
