package io.updraft.telemetry.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.updraft.events.EventJson;
import io.updraft.telemetry.domain.DeviceHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each device's latest health report per tenant (table {@code device_health}). */
@ApplicationScoped
public class DeviceHealthRepository {
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };
    private static final String COLUMNS = "device_id, event_id, reported_at, boot_ok, crash_count, app_healthy,"
            + " metrics::text";

    @Inject
    EntityManager entityManager;

    /**
     * Keeps the report if it occurred after the one held (ties broken by event id, so the same two reports in either
     * order end alike); an older or repeated report changes nothing.
     *
     * @return whether the report is now the device's latest
     */
    @Transactional(TxType.MANDATORY)
    public boolean upsertIfNewer(String tenant, DeviceHealth health) {
        return entityManager.createNativeQuery("""
                insert into device_health (device_id, event_id, reported_at, boot_ok, crash_count, app_healthy,
                                           metrics, tenant_id)
                values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8)
                on conflict (tenant_id, device_id) do update set event_id = excluded.event_id,
                    reported_at = excluded.reported_at, boot_ok = excluded.boot_ok,
                    crash_count = excluded.crash_count, app_healthy = excluded.app_healthy,
                    metrics = excluded.metrics
                where (device_health.reported_at, device_health.event_id)
                    < (excluded.reported_at, excluded.event_id)
                """)
                .setParameter(1, health.deviceId())
                .setParameter(2, health.eventId())
                .setParameter(3, health.reportedAt())
                .setParameter(4, health.bootOk())
                .setParameter(5, health.crashCount())
                .setParameter(6, health.appHealthy())
                .setParameter(7, json(health.metrics()))
                .setParameter(8, tenant)
                .executeUpdate() == 1;
    }

    @Transactional
    public Optional<DeviceHealth> find(String tenant, String deviceId) {
        return rows(entityManager.createNativeQuery("select " + COLUMNS
                + " from device_health where tenant_id = ?1 and device_id = ?2")
                .setParameter(1, tenant)
                .setParameter(2, deviceId)
                .getResultList()).stream().findFirst();
    }

    /** The latest health of those of the devices that reported any, in device id order. */
    @Transactional
    public List<DeviceHealth> findAll(String tenant, Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return List.of();
        }
        return rows(entityManager.createNativeQuery("select " + COLUMNS
                + " from device_health where tenant_id = ?1 and device_id in (?2) order by device_id")
                .setParameter(1, tenant)
                .setParameter(2, List.copyOf(deviceIds))
                .getResultList());
    }

    private static List<DeviceHealth> rows(List<?> rows) {
        return rows.stream().map(Object[].class::cast).map(row -> new DeviceHealth((String) row[0],
                (String) row[1], instant(row[2]), (Boolean) row[3], ((Number) row[4]).intValue(), (Boolean) row[5],
                metrics((String) row[6]))).toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    private static String json(Map<String, Double> metrics) {
        try {
            return EventJson.mapper().writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics not writable as JSON", e);
        }
    }

    private static Map<String, Double> metrics(String json) {
        try {
            return EventJson.mapper().readValue(json, METRICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("device_health.metrics is not a JSON object of numbers", e);
        }
    }
}
