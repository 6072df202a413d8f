package io.updraft.telemetry.service;

import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.support.validation.Inputs;
import io.updraft.telemetry.domain.DeviceHealth;
import io.updraft.telemetry.persistence.DeviceHealthRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each device's latest health, as the console's device pages show it: every {@code HealthReported} is kept if it
 * occurred after the one held, whatever rollout the device is in (or none); per tenant.
 */
@ApplicationScoped
public class DeviceHealthBook {
    @Inject
    DeviceHealthRepository repository;

    @Transactional(TxType.MANDATORY)
    public void reported(String tenant, HealthReported report) {
        repository.upsertIfNewer(tenant, new DeviceHealth(report.deviceId(), report.eventId(), report.occurredAt(),
                report.bootOk(), Math.max(0, report.crashCount()), report.appHealthy(), bounded(report.metrics())));
    }

    public Optional<DeviceHealth> latest(String tenant, String deviceId) {
        return repository.find(tenant, deviceId);
    }

    public List<DeviceHealth> latestOf(String tenant, Collection<String> deviceIds) {
        return repository.findAll(tenant, deviceIds);
    }

    /**
     * What the gateway lets in (≤ 50 metrics, names of one line ≤ 128 characters), enforced again for whatever else
     * writes the topic: other names and values that are not finite numbers are dropped, the first 50 by name kept.
     */
    static Map<String, Double> bounded(Map<String, Double> metrics) {
        Map<String, Double> kept = new TreeMap<>();
        new TreeMap<>(metrics).forEach((name, value) -> {
            if (kept.size() < DeviceHealth.MAX_METRICS && Inputs.isLine(name, DeviceHealth.MAX_METRIC_NAME)
                    && !name.isBlank() && value != null && Double.isFinite(value)) {
                kept.put(name, value);
            }
        });
        return kept;
    }
}
