package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.support.persistence.SqlValues;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Devices as seen from device-reports. Every write is an upsert: a report about a device we never saw registered
 * creates it. {@code last_seen} only moves forward, so reordered reports cannot make a device look older. A device is
 * one tenant's ({@link Tenants#current()}, ADR 0021): two tenants' {@code gw-1} are two rows, and every statement
 * reads and writes only the current tenant's.
 */
@ApplicationScoped
public class DeviceInventory {
    private static final String COLUMNS = "d.device_id, d.attributes::text, d.model, d.revision,"
            + " d.installed_release_id, d.installed_version, d.last_seen";

    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** What a device runs, as reported at {@code seenAt}. */
    public record Installed(String deviceId, String releaseId, String version, Instant seenAt) {
    }

    /** {@code attributes} is the device's whole attribute set; model and revision are copied out of it. */
    public void describe(String deviceId, Map<String, String> attributes, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, attributes, model, revision, last_seen, tenant_id)
                values (?1, cast(?2 as jsonb), cast(?2 as jsonb) ->> 'model', cast(?2 as jsonb) ->> 'revision', ?3, ?4)
                on conflict (tenant_id, device_id) do update set attributes = excluded.attributes, model = excluded.model,
                    revision = excluded.revision, last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, JsonColumns.write(attributes))
                .setParameter(3, seenAt)
                .setParameter(4, tenants.current())
                .executeUpdate();
    }

    public void seen(String deviceId, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, last_seen, tenant_id) values (?1, ?2, ?3)
                on conflict (tenant_id, device_id) do update
                    set last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, seenAt)
                .setParameter(3, tenants.current())
                .executeUpdate();
    }

    public void installed(String deviceId, String releaseId, String version, Instant seenAt) {
        entityManager.createNativeQuery("""
                insert into device (device_id, installed_release_id, installed_version, last_seen, tenant_id)
                values (?1, cast(?2 as varchar), cast(?3 as varchar), ?4, ?5)
                on conflict (tenant_id, device_id) do update set installed_release_id = excluded.installed_release_id,
                    installed_version = excluded.installed_version,
                    last_seen = greatest(device.last_seen, excluded.last_seen)""")
                .setParameter(1, deviceId)
                .setParameter(2, releaseId)
                .setParameter(3, version)
                .setParameter(4, seenAt)
                .setParameter(5, tenants.current())
                .executeUpdate();
    }

    /**
     * {@link #seen} for many devices in one statement (device id order, as concurrent batches take the row locks):
     * each device's newest sighting; a null instant only creates an unknown device.
     */
    public void seenAll(Map<String, Instant> lastSeen) {
        if (lastSeen.isEmpty()) {
            return;
        }
        List<String> ids = lastSeen.keySet().stream().sorted().toList();
        String[] seen = ids.stream().map(id -> text(lastSeen.get(id))).toArray(String[]::new);
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into device (device_id, last_seen, tenant_id)
                    select device_id, seen::timestamptz, ? from unnest(?::varchar[], ?::text[]) as t(device_id, seen)
                    order by device_id
                    on conflict (tenant_id, device_id) do update
                        set last_seen = greatest(device.last_seen, excluded.last_seen)""")) {
                upsert.setString(1, tenant);
                upsert.setArray(2, connection.createArrayOf("varchar", ids.toArray(String[]::new)));
                upsert.setArray(3, connection.createArrayOf("text", seen));
                upsert.executeUpdate();
            }
        });
    }

    /** A device's whole attribute set, as reported at {@code seenAt}. */
    public record Described(String deviceId, Map<String, String> attributes, Instant seenAt) {
    }

    /** {@link #describe} for many devices (one entry each) in one statement, in device id order. */
    public void describeAll(List<Described> described) {
        if (described.isEmpty()) {
            return;
        }
        List<Described> ordered = described.stream()
                .sorted(java.util.Comparator.comparing(Described::deviceId)).toList();
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into device (device_id, attributes, model, revision, last_seen, tenant_id)
                    select device_id, attributes::jsonb, attributes::jsonb ->> 'model',
                           attributes::jsonb ->> 'revision', seen::timestamptz, ?
                    from unnest(?::varchar[], ?::text[], ?::text[]) as t(device_id, attributes, seen)
                    order by device_id
                    on conflict (tenant_id, device_id) do update set attributes = excluded.attributes, model = excluded.model,
                        revision = excluded.revision, last_seen = greatest(device.last_seen, excluded.last_seen)""")) {
                upsert.setString(1, tenant);
                upsert.setArray(2, connection.createArrayOf("varchar",
                        ordered.stream().map(Described::deviceId).toArray(String[]::new)));
                upsert.setArray(3, connection.createArrayOf("text",
                        ordered.stream().map(one -> JsonColumns.write(one.attributes())).toArray(String[]::new)));
                upsert.setArray(4, connection.createArrayOf("text",
                        ordered.stream().map(one -> text(one.seenAt())).toArray(String[]::new)));
                upsert.executeUpdate();
            }
        });
    }

    /** {@link #installed} for many devices (one entry each) in one statement, in device id order. */
    public void installedAll(List<Installed> installed) {
        if (installed.isEmpty()) {
            return;
        }
        List<Installed> ordered = installed.stream()
                .sorted(java.util.Comparator.comparing(Installed::deviceId)).toList();
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into device (device_id, installed_release_id, installed_version, last_seen, tenant_id)
                    select device_id, release_id, version, seen::timestamptz, ?
                    from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[])
                         as t(device_id, release_id, version, seen)
                    order by device_id
                    on conflict (tenant_id, device_id) do update set installed_release_id = excluded.installed_release_id,
                        installed_version = excluded.installed_version,
                        last_seen = greatest(device.last_seen, excluded.last_seen)""")) {
                upsert.setString(1, tenant);
                upsert.setArray(2, connection.createArrayOf("varchar",
                        ordered.stream().map(Installed::deviceId).toArray(String[]::new)));
                upsert.setArray(3, connection.createArrayOf("varchar",
                        ordered.stream().map(Installed::releaseId).toArray(String[]::new)));
                upsert.setArray(4, connection.createArrayOf("varchar",
                        ordered.stream().map(Installed::version).toArray(String[]::new)));
                upsert.setArray(5, connection.createArrayOf("text",
                        ordered.stream().map(one -> text(one.seenAt())).toArray(String[]::new)));
                upsert.executeUpdate();
            }
        });
    }

    /** ISO-8601 in UTC: read back by PostgreSQL as the same instant whatever the session's time zone. */
    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private interface Work {
        void execute(Connection connection) throws SQLException;
    }

    private void work(Work work) {
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(work::execute);
    }

    public Optional<InventoryDevice> find(String deviceId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select " + COLUMNS
                + " from device d where d.device_id = ?1 and d.tenant_id = ?2")
                .setParameter(1, deviceId).setParameter(2, tenants.current()).getResultList();
        return rows.stream().findFirst().map(DeviceInventory::device);
    }

    public InventoryDevice.Page page(InventoryDevice.Filter filter, int page, int size) {
        SqlParams params = new SqlParams();
        String where = where(tenants.current(), filter, params, null);
        Query count = params.applyTo(entityManager.createNativeQuery("select count(*) from device d" + where));
        Query select = params.applyTo(entityManager.createNativeQuery("select " + COLUMNS + " from device d" + where
                + " order by d.device_id limit " + size + " offset " + (long) page * size));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.getResultList();
        return new InventoryDevice.Page(rows.stream().map(DeviceInventory::device).toList(), SqlValues.number(count.getSingleResult()));
    }

    /**
     * Keyset paging: the first {@code limit} matching devices whose id sorts after {@code afterDeviceId} (null: from
     * the first), read from the primary key's index whatever the page — no offset to skip, no count.
     */
    public InventoryDevice.Slice after(InventoryDevice.Filter filter, String afterDeviceId, int limit) {
        SqlParams params = new SqlParams();
        String where = where(tenants.current(), filter, params, afterDeviceId);
        Query select = params.applyTo(entityManager.createNativeQuery("select " + COLUMNS + " from device d" + where
                + " order by d.device_id limit " + (limit + 1)));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.getResultList();
        List<InventoryDevice> devices = rows.stream().limit(limit).map(DeviceInventory::device).toList();
        return new InventoryDevice.Slice(devices, rows.size() > limit);
    }

    private static String where(String tenant, InventoryDevice.Filter filter, SqlParams params,
            String afterDeviceId) {
        List<String> conditions = new ArrayList<>();
        conditions.add("d.tenant_id = " + params.bind(tenant));
        condition(conditions, params, "d.model", filter.model());
        condition(conditions, params, "d.revision", filter.revision());
        condition(conditions, params, "d.installed_version", filter.version());
        if (filter.expression() != null) {
            conditions.add(FilterSql.condition(filter.expression(), params::bind));
        }
        if (afterDeviceId != null) {
            conditions.add("d.device_id > " + params.bind(afterDeviceId));
        }
        return " where " + String.join(" and ", conditions);
    }

    private static void condition(List<String> conditions, SqlParams params, String column, String value) {
        if (value != null && !value.isBlank()) {
            conditions.add(column + " = " + params.bind(value));
        }
    }

    private static InventoryDevice device(Object[] row) {
        return new InventoryDevice(SqlValues.text(row[0]), JsonColumns.attributes(SqlValues.text(row[1])),
                SqlValues.text(row[2]), SqlValues.text(row[3]), SqlValues.text(row[4]), SqlValues.text(row[5]),
                SqlValues.instant(row[6]));
    }
}
