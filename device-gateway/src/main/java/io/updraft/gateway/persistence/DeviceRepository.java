package io.updraft.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceQuotaExceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;

@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<Device, Device.Key> {
    /**
     * Creates the devices flagged {@code create} that are unknown and locks every listed device that exists, in the
     * order given. {@code do update … where false} updates nothing but locks each conflicting row (PostgreSQL locks
     * every row the ON CONFLICT DO UPDATE action reaches), so new and existing rows are locked in one pass.
     */
    private static final String LOCK_OR_CREATE_ALL = """
            insert into device (tenant_id, controller_id, created_at)
            select ?, t.id, ?::timestamptz
            from unnest(?::varchar[], ?::boolean[]) with ordinality as t(id, create_it, n)
            where t.create_it or exists (select 1 from device d where d.tenant_id = ? and d.controller_id = t.id)
            order by t.n
            on conflict (tenant_id, controller_id) do update set created_at = device.created_at where false""";

    /**
     * Serialises the creation of one tenant's devices while its device quota is decided (ADR 0021 decision 5): held
     * to the end of the transaction, so a transaction that counts after taking it sees every device the previous
     * holder created. Class 21 (the ADR) keeps it apart from any other advisory lock; tenants whose hashes collide
     * merely wait for each other.
     */
    private static final String QUOTA_LOCK = "select pg_advisory_xact_lock(21, hashtext(?))";

    /** The tenant's devices, and which of {@code ids} are among them (read after {@link #QUOTA_LOCK}). */
    private static final String COUNT_AND_EXISTING = """
            select count(*), coalesce(array_agg(controller_id) filter (where controller_id = any(?)), '{}')
            from device where tenant_id = ?""";

    /** The tenant's device count and which of some ids exist, as seen under the tenant's quota lock. */
    public record QuotaCount(long devices, Set<String> existing) {
    }

    /**
     * The device row, created if unknown, locked for the rest of the transaction: every change of a device's
     * actions or attributes goes through this lock, so the HTTP side and the command consumer never interleave.
     * A known device is only locked (one statement), whatever its tenant's quota. An unknown one is created only if
     * its tenant stays within {@code maxDevices} (null: unlimited, nothing counted), decided under the tenant's
     * quota lock; else {@link DeviceQuotaExceeded} and nothing is written.
     */
    public Device lockOrCreate(String tenant, String controllerId, Long maxDevices) {
        Device.Key key = new Device.Key(tenant, controllerId);
        Device known = findById(key, LockModeType.PESSIMISTIC_WRITE);
        if (known != null) {
            return known;
        }
        if (maxDevices != null) {
            QuotaCount count = lockQuota(tenant, List.of(controllerId));
            if (count.existing().isEmpty() && DeviceQuotaExceeded.room(count.devices(), maxDevices) == 0) {
                throw new DeviceQuotaExceeded(tenant, controllerId, maxDevices);
            }
        }
        getEntityManager().createNativeQuery("insert into device (tenant_id, controller_id, created_at)"
                + " values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, tenant)
                .setParameter(2, controllerId)
                .setParameter(3, Instant.now())
                .executeUpdate();
        return findById(key, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Takes the tenant's quota lock (to the end of the transaction), then counts its devices and finds which of
     * {@code ids} exist: what a creation under the quota is decided on.
     */
    public QuotaCount lockQuota(String tenant, Collection<String> ids) {
        getEntityManager().flush();
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> lockQuota(connection, tenant,
                ids.toArray(String[]::new)));
    }

    /** {@link #lockQuota(String, Collection)} on the caller's connection (inside its transaction). */
    static QuotaCount lockQuota(Connection connection, String tenant, String[] ids) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(QUOTA_LOCK)) {
            lock.setString(1, tenant);
            lock.execute();
        }
        try (PreparedStatement count = connection.prepareStatement(COUNT_AND_EXISTING)) {
            count.setArray(1, connection.createArrayOf("varchar", ids));
            count.setString(2, tenant);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return new QuotaCount(rows.getLong(1), Set.of((String[]) rows.getArray(2).getArray()));
            }
        }
    }

    public Optional<Device> lock(String tenant, String controllerId) {
        return Optional.ofNullable(findById(new Device.Key(tenant, controllerId), LockModeType.PESSIMISTIC_WRITE));
    }

    /** The device as stored, without a lock; null if the tenant has no such device. */
    public Device byId(String tenant, String controllerId) {
        return findById(new Device.Key(tenant, controllerId));
    }

    /**
     * {@link #lockOrCreate} for {@code toCreate} and {@link #lock} for {@code toLock} (unknown ones stay unknown),
     * for a whole batch in one statement. The rows are locked in controller-id order, as the first-contact batch
     * takes them, so two batches never deadlock, and a transaction that locks a single device cannot either.
     */
    public void lockOrCreateAll(String tenant, Collection<String> toCreate, Collection<String> toLock) {
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        toLock.forEach(id -> sorted.put(id, false));
        toCreate.forEach(id -> sorted.put(id, true));
        if (sorted.isEmpty()) {
            return;
        }
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(LOCK_OR_CREATE_ALL)) {
                upsert.setString(1, tenant);
                upsert.setTimestamp(2, Timestamp.from(Instant.now()));
                upsert.setArray(3, connection.createArrayOf("varchar", sorted.keySet().toArray(String[]::new)));
                upsert.setArray(4, connection.createArrayOf("boolean", sorted.values().toArray(Boolean[]::new)));
                upsert.setString(5, tenant);
                upsert.executeUpdate();
            }
        });
    }

    /** The device as its row now stands (times at the database's precision), this transaction's changes flushed. */
    public Device reread(Device device) {
        getEntityManager().flush();
        getEntityManager().refresh(device);
        return device;
    }
}
