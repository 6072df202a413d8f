package io.updraft.telemetry.persistence;

import io.updraft.testsupport.DatabaseAtVersion;
import java.util.List;
import java.util.UUID;

/**
 * A telemetry database as the service left it before tenants (Flyway {@code target} 6, the last migration before V7),
 * with rows in every table: a running rollout with two cohorts, its devices' progress and assignments, a counted
 * action, a rollback decision, a closed health window with its points, a device's latest health. The service under
 * test then starts on it and migrates it in place.
 */
public class DatabaseBeforeTenants extends DatabaseAtVersion {
    public static final String ROLLOUT_ID = "rollout-before-tenants-" + UUID.randomUUID();
    public static final String DEVICE_ID = "dev-before-tenants-" + UUID.randomUUID();
    public static final long ACTION_ID = 4_200_000_001L;
    static final String DATABASE = "telemetry_before_tenants";
    static final List<String> TABLES = List.of("rollout", "health_window", "cohort_stats",
            "counted_action", "device_assignment", "rollback_decision", "device_progress", "health_point",
            "device_health");

    public DatabaseBeforeTenants() {
        super(DATABASE, "6");
    }

    @Override
    protected List<String> fill() {
        return List.of(
                """
                    insert into rollout (rollout_id, failure_rate_threshold, min_sample_size, created_at, name,
                        version, wave_count, device_count, current_wave, state)
                    values ('%s', 0.4, 2, now() - interval '1 hour', 'before tenants', '1.0.0', 2, 3, 1, 'RUNNING')
                    """.formatted(ROLLOUT_ID),
                "insert into health_window (rollout_id, last_window_end) values ('%s', now())"
                    .formatted(ROLLOUT_ID),
                """
                    insert into cohort_stats (rollout_id, cohort, succeeded, failed, health_reports, unhealthy_reports,
                        crashes, rolled_back, first_report_at, last_activity_at)
                    values ('%1$s', 'board:A', 2, 0, 5, 1, 2, false, now(), now()),
                           ('%1$s', 'board:B', 0, 2, 0, 0, 0, false, now(), now())
                    """.formatted(ROLLOUT_ID),
                "insert into counted_action (action_id, rollout_id, counted_at) values (%d, '%s', now())"
                    .formatted(ACTION_ID, ROLLOUT_ID),
                """
                    insert into device_assignment (device_id, rollout_id, cohort, action_id, assigned_at)
                    values ('%s', '%s', 'board:A', %d, now())
                    """.formatted(DEVICE_ID, ROLLOUT_ID, ACTION_ID),
                """
                    insert into rollback_decision (rollout_id, cohort, reason, decided_at, succeeded, failed,
                        failure_rate, failure_rate_threshold, min_sample_size, window_start, window_end, rule,
                        devices_counted, devices_judged, observed, rule_limit)
                    values ('%s', 'board:B', 'failedInstalls: 2 of 2 installs failed', now(), 0, 2, 1.0, 0.4, 2,
                        now() - interval '1 hour', now(), 'failedInstalls', 2, 2, 1.0, 0.4)
                    """.formatted(ROLLOUT_ID),
                """
                    insert into device_progress (rollout_id, device_id, cohort, state, updated_at)
                    values ('%1$s', '%2$s', 'board:A', 'SUCCEEDED', now()),
                           ('%1$s', '%2$s-b', 'board:B', 'FAILED', now())
                    """.formatted(ROLLOUT_ID, DEVICE_ID),
                """
                    insert into health_point (rollout_id, cohort, window_end, succeeded, failed, failure_rate,
                        health_reports, unhealthy_reports, crashes)
                    values ('%s', 'board:A', now() - interval '1 day', 2, 0, 0.0, 5, 1, 2)
                    """.formatted(ROLLOUT_ID),
                """
                    insert into device_health (device_id, event_id, reported_at, boot_ok, crash_count, app_healthy,
                        metrics)
                    values ('%s', '%s', now(), true, 3, false, '{"cpu": 0.5}')
                    """.formatted(DEVICE_ID, UUID.randomUUID()));
    }
}
