package io.updraft.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<Device, String> {

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
}
