package io.updraft.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.gateway.domain.Device;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
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
     * The device row, created if unknown, locked for the rest of the transaction: every change of a device's
     * actions or attributes goes through this lock, so the HTTP side and the command consumer never interleave.
     */
    public Device lockOrCreate(String tenant, String controllerId) {
        getEntityManager().createNativeQuery("insert into device (tenant_id, controller_id, created_at)"
                + " values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, tenant)
                .setParameter(2, controllerId)
                .setParameter(3, Instant.now())
                .executeUpdate();
        return findById(new Device.Key(tenant, controllerId), LockModeType.PESSIMISTIC_WRITE);
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
