package io.updraft.rollout;

import io.updraft.testsupport.DatabaseAtVersion;
import java.util.List;
import java.util.Map;

/**
 * A rollout database as the service left it before tenants (Flyway {@code target} 62, the migration before V63), with
 * rows in every table but command_dispatch (the dispatcher of the service under test would delete a finished one
 * while the test counts): a release, two devices, a RUNNING rollout of one wave whose device {@code old-a} has an open
 * install and {@code old-b} a finished one, its health gate's figures and both histories. The service under test
 * starts on it and migrates it in place.
 */
public class DatabaseBeforeTenants extends DatabaseAtVersion {
    public static final String RELEASE_ID = "4f1c2b1e-0d8a-4c53-9d0e-7b6a5c4d3e01";
    public static final String ROLLOUT_ID = "4f1c2b1e-0d8a-4c53-9d0e-7b6a5c4d3e02";
    public static final String COHORT = "old-model:1";
    /** Action ids far above what action_id_seq hands out in a test run. */
    public static final long OPEN_ACTION = 9_000_000_001L;
    public static final long DONE_ACTION = 9_000_000_002L;
    /** Every table of the service that V63 gives a tenant_id, and how many rows this database writes into each. */
    public static final Map<String, Integer> ROWS = Map.ofEntries(Map.entry("release", 1), Map.entry("device", 2),
            Map.entry("rollout", 1), Map.entry("rollout_wave", 1), Map.entry("rollout_cohort", 1),
            Map.entry("wave_cohort", 1), Map.entry("rollout_device", 2), Map.entry("device_action", 2),
            Map.entry("health_gate_figures", 1), Map.entry("health_gate_baseline", 1),
            Map.entry("health_gate_verdict", 1), Map.entry("rollout_history", 2), Map.entry("device_history", 1),
            Map.entry("command_dispatch", 0));
    static final String DATABASE = "rollout_before_tenants";

    public DatabaseBeforeTenants() {
        super(DATABASE, "62");
    }

    @Override
    protected List<String> fill() {
        return List.of("""
                insert into release (release_id, name, version, artifacts, hardware, published_at)
                values ('%s', 'firmware', '2.0.0',
                        '[{"artifactId":7,"part":"os","filename":"fw.swu","size":1024,"sha256":"%s","sha1":"%s","md5":"%s","role":"full"}]',
                        '[{"model":"old-model","revision":"*"}]', now())""".formatted(RELEASE_ID, "a".repeat(64),
                        "b".repeat(40), "c".repeat(32)),
                """
                insert into device (device_id, attributes, model, revision, installed_release_id, installed_version,
                                    last_seen)
                values ('old-a', '{"model":"old-model","revision":"1","site":"lab"}', 'old-model', '1', null, '1.0.0',
                        now()),
                       ('old-b', '{"model":"old-model","revision":"1","site":"lab"}', 'old-model', '1', '%s', '2.0.0',
                        now())""".formatted(RELEASE_ID),
                """
                insert into rollout (id, name, release_id, version, target, state, current_wave, wave_count,
                                     error_threshold, success_threshold, soak_time_ms, action_type,
                                     failure_rate_threshold, min_sample_size, created_at, updated_at)
                values ('%s', 'before tenants', '%s', '2.0.0', '{"model":"old-model"}', 'RUNNING', 1, 1, 0.5, 1.0, 0,
                        'FORCED', 0.5, 1, now(), now())""".formatted(ROLLOUT_ID, RELEASE_ID),
                """
                insert into rollout_wave (rollout_id, wave, percent, device_count, state)
                values ('%s', 1, 100, 2, 'RUNNING')""".formatted(ROLLOUT_ID),
                """
                insert into rollout_cohort (rollout_id, cohort, device_count, state)
                values ('%s', '%s', 2, 'ACTIVE')""".formatted(ROLLOUT_ID, COHORT),
                """
                insert into wave_cohort (rollout_id, wave, cohort, devices, succeeded)
                values ('%s', 1, '%s', 2, 1)""".formatted(ROLLOUT_ID, COHORT),
                """
                insert into rollout_device (rollout_id, device_id, wave, cohort, from_release_id, from_version)
                values ('%1$s', 'old-a', 1, '%2$s', null, '1.0.0'), ('%1$s', 'old-b', 1, '%2$s', null, '1.0.0')"""
                        .formatted(ROLLOUT_ID, COHORT),
                """
                insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                           rollback, state, created_at, updated_at)
                values (%d, '%s', 'old-a', 1, '%s', '%s', '2.0.0', false, 'RUNNING', now(), now()),
                       (%d, '%s', 'old-b', 1, '%s', '%s', '2.0.0', false, 'SUCCEEDED', now(), now())"""
                        .formatted(OPEN_ACTION, ROLLOUT_ID, COHORT, RELEASE_ID, DONE_ACTION, ROLLOUT_ID, COHORT,
                                RELEASE_ID),
                """
                insert into health_gate_figures (rollout_id, cohort, window_end, succeeded, failed, health_reports,
                                                 unhealthy_reports, crashes)
                values ('%s', '%s', now(), 1, 0, 3, 0, 0)""".formatted(ROLLOUT_ID, COHORT),
                """
                insert into health_gate_baseline (rollout_id, wave, cohort, succeeded, failed, health_reports,
                                                  unhealthy_reports, crashes)
                values ('%s', 1, '%s', 0, 0, 0, 0, 0)""".formatted(ROLLOUT_ID, COHORT),
                """
                insert into health_gate_verdict (rollout_id, wave, window_end, breach, decided_at)
                values ('%s', 1, now(), null, now())""".formatted(ROLLOUT_ID),
                """
                insert into rollout_history (rollout_id, at, type, actor, reason, wave)
                values ('%1$s', now() - interval '1 minute', 'CREATED', 'ops', null, null),
                       ('%1$s', now() - interval '1 minute', 'WAVE_STARTED', 'system', null, 1)"""
                        .formatted(ROLLOUT_ID),
                """
                insert into device_history (device_id, at, type, action_id, rollout_id, details)
                values ('old-b', now() - interval '30 seconds', 'ACTION_SUCCEEDED', %d, '%s', 'version 2.0.0')"""
                        .formatted(DONE_ACTION, ROLLOUT_ID));
    }
}
