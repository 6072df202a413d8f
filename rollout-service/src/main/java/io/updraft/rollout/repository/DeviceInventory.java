package io.updraft.rollout.repository;

import io.updraft.rollout.mapping.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Devices as seen from device-reports. Every write is an upsert: a report about a device we never saw registered
 * creates it. {@code last_seen} only moves forward, so reordered reports cannot make a device look older.
 */
@ApplicationScoped
public class DeviceInventory {
    private static final String COLUMNS =
            "device_id, attributes::text, model, revision, installed_release_id, installed_version, last_seen";

    @Inject
    EntityManager entityManager;

    /** {@code attributes} is the device's whole attribute set; model and revision are copied out of it. */
    public void describe(String deviceId, Map<String, String> attributes, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, attributes, model, revision, last_seen)
                values (?1, cast(?2 as jsonb), cast(?2 as jsonb) ->> 'model', cast(?2 as jsonb) ->> 'revision', ?3)
                on conflict (device_id) do update set attributes = excluded.attributes, model = excluded.model,
                    revision = excluded.revision, last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, JsonColumns.write(attributes))
                .setParameter(3, seenAt)
                .executeUpdate();
    }

    public void seen(String deviceId, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, last_seen) values (?1, ?2)
                on conflict (device_id) do update set last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, seenAt)
                .executeUpdate();
    }

    public void installed(String deviceId, String releaseId, String version, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, installed_release_id, installed_version, last_seen)
                values (?1, cast(?2 as varchar), cast(?3 as varchar), ?4)
                on conflict (device_id) do update set installed_release_id = excluded.installed_release_id,
                    installed_version = excluded.installed_version,
                    last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, releaseId)
                .setParameter(3, version)
                .setParameter(4, seenAt)
                .executeUpdate();
    }

    public Optional<InventoryDevice> find(String deviceId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select " + COLUMNS + " from device where device_id = ?1")
                .setParameter(1, deviceId).getResultList();
        return rows.stream().findFirst().map(DeviceInventory::device);
    }

    public record Filter(String model, String revision, String version) {
    }

    public record Page(List<InventoryDevice> items, long total) {
    }

    public Page page(Filter filter, int page, int size) {
        List<String> conditions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        condition(conditions, values, "model", filter.model());
        condition(conditions, values, "revision", filter.revision());
        condition(conditions, values, "installed_version", filter.version());
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        Query count = entityManager.createNativeQuery("select count(*) from device" + where);
        Query select = entityManager.createNativeQuery(
                "select " + COLUMNS + " from device" + where + " order by device_id limit " + size + " offset "
                        + (long) page * size);
        for (int i = 0; i < values.size(); i++) {
            count.setParameter(i + 1, values.get(i));
            select.setParameter(i + 1, values.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.getResultList();
        return new Page(rows.stream().map(DeviceInventory::device).toList(), Columns.number(count.getSingleResult()));
    }

    private static void condition(List<String> conditions, List<String> values, String column, String value) {
        if (value != null && !value.isBlank()) {
            values.add(value);
            conditions.add(column + " = ?" + values.size());
        }
    }

    private static InventoryDevice device(Object[] row) {
        return new InventoryDevice(Columns.text(row[0]), JsonColumns.attributes(Columns.text(row[1])),
                Columns.text(row[2]), Columns.text(row[3]), Columns.text(row[4]), Columns.text(row[5]),
                Columns.instant(row[6]));
    }
}
