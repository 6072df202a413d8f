package io.updraft.telemetry.service;

import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventMeta;
import io.updraft.telemetry.persistence.CohortStatsRepository;
import io.updraft.telemetry.persistence.DeviceAssignmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

/** Adds a device's health report to the cohort of the rollout it currently runs; other devices' health is dropped. */
@ApplicationScoped
public class HealthAttribution {
    @Inject
    DeviceAssignmentRepository assignments;
    @Inject
    CohortStatsRepository stats;

    @Transactional(TxType.MANDATORY)
    public void reported(String tenant, HealthReported health) {
        boolean unhealthy = !health.bootOk() || !health.appHealthy();
        assignments.assignmentOf(tenant, health.deviceId()).ifPresent(key -> stats.countHealth(key, unhealthy,
                Math.max(0, health.crashCount()), EventMeta.now()));
    }
}
