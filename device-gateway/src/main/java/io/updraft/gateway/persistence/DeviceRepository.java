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
public class DeviceRepository implements PanacheRepositoryBase<Device, String> {
    /**
     * Creates the devices flagged {@code create} that are unknown and locks every listed device that exists, in the
     * order given. {@code do update … where false} updates nothing but locks each conflicting row (PostgreSQL locks
     * every row the ON CONFLICT DO UPDATE action reaches), so new and existing rows are locked in one pass.
     */
    private static final String LOCK_OR_CREATE_ALL = """
            insert into device (controller_id, created_at)
            select t.id, ?::timestamptz from unnest(?::varchar[], ?::boolean[]) with ordinality as t(id, create_it, n)
            where t.create_it or exists (select 1 from device d where d.controller_id = t.id)
            order by t.n
            on conflict (controller_id) do update set created_at = device.created_at where false""";

    /**
     * The device row, created if unknown, locked for the rest of the transaction: every change of a device's
     * actions or attributes goes through this lock, so the HTTP side and the command consumer never interleave.
     */
    public Device lockOrCreate(String controllerId) {
        getEntityManager().createNativeQuery(
                "insert into device (controller_id, created_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, controllerId)
                .setParameter(2, Instant.now())
                .executeUpdate();
        return findById(controllerId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<Device> lock(String controllerId) {
        return Optional.ofNullable(findById(controllerId, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * {@link #lockOrCreate} for {@code toCreate} and {@link #lock} for {@code toLock} (unknown ones stay unknown),
     * for a whole batch in one statement. The rows are locked in controller-id order, as the first-contact batch
     * takes them, so two batches never deadlock, and a transaction that locks a single device cannot either.
     */
    public void lockOrCreateAll(Collection<String> toCreate, Collection<String> toLock) {
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        toLock.forEach(id -> sorted.put(id, false));
        toCreate.forEach(id -> sorted.put(id, true));
        if (sorted.isEmpty()) {
            return;
        }
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(LOCK_OR_CREATE_ALL)) {
                upsert.setTimestamp(1, Timestamp.from(Instant.now()));
                upsert.setArray(2, connection.createArrayOf("varchar", sorted.keySet().toArray(String[]::new)));
                upsert.setArray(3, connection.createArrayOf("boolean", sorted.values().toArray(Boolean[]::new)));
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
