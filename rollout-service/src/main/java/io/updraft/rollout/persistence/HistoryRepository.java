package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.HistoryEntry;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/**
 * Every statement of the rollout and device histories. Rollout entries come from the rollout's events (one row each);
 * a device's history is its rows in {@code device_history} (the reports about its actions), its actions' requests
 * ({@code device_action}: the install or rollback sent to it) and the rollout entries that name it or its cohort, in
 * time order. Both page with an opaque cursor: the last entry's (time, key). Every row is the current tenant's
 * ({@link Tenants#current()}, ADR 0021): two tenants' {@code gw-1} have two histories.
 */
@ApplicationScoped
public class HistoryRepository {
    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** One rollout history row; null fields are left out. */
    public record RolloutEntry(String rolloutId, Instant at, String type, String actor, String reason, Integer wave,
            String cohort, String deviceId, String details) {
    }

    /** One device history row (a report about an action, or an installed version). */
    /** @param actor who made it happen when not the device itself (an operator's cancel), else null; reason theirs */
    public record DeviceEntry(String deviceId, Instant at, String type, Long actionId, String rolloutId,
            String details, String actor, String reason) {
        public DeviceEntry(String deviceId, Instant at, String type, Long actionId, String rolloutId, String details) {
            this(deviceId, at, type, actionId, rolloutId, details, null, null);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void appendRollout(Collection<RolloutEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String tenant = tenants.current();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into rollout_history (rollout_id, at,"
                    + " type, actor, reason, wave, cohort, device_id, details, tenant_id)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (RolloutEntry e : entries) {
                    insert.setString(1, e.rolloutId());
                    insert.setTimestamp(2, Timestamp.from(e.at()));
                    insert.setString(3, e.type());
                    insert.setString(4, cut(e.actor(), 200));
                    insert.setString(5, cut(e.reason(), 2000));
                    if (e.wave() == null) {
                        insert.setNull(6, Types.INTEGER);
                    } else {
                        insert.setInt(6, e.wave());
                    }
                    insert.setString(7, e.cohort());
                    insert.setString(8, e.deviceId());
                    insert.setString(9, cut(e.details(), 2000));
                    insert.setString(10, tenant);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void appendDevice(Collection<DeviceEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String tenant = tenants.current();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into device_history (device_id, at,"
                    + " type, action_id, rollout_id, details, actor, reason, tenant_id)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int pending = 0;
                for (DeviceEntry e : entries) {
                    insert.setString(1, e.deviceId());
                    insert.setTimestamp(2, Timestamp.from(e.at()));
                    insert.setString(3, e.type());
                    if (e.actionId() == null) {
                        insert.setNull(4, Types.BIGINT);
                    } else {
                        insert.setLong(4, e.actionId());
                    }
                    insert.setString(5, e.rolloutId());
                    insert.setString(6, cut(e.details(), 2000));
                    insert.setString(7, cut(e.actor(), 255));
                    insert.setString(8, cut(e.reason(), 1000));
                    insert.setString(9, tenant);
                    insert.addBatch();
                    if (++pending == 500) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
        });
    }

    /**
     * Deletes up to {@code limit} device history rows older than {@code before}, of every tenant (platform-wide on
     * purpose: the retention is the installation's, and the rows are only deleted, never read or moved); @return how
     * many
     */
    @Transactional
    public int deleteDeviceEntriesBefore(Instant before, int limit) {
        return entityManager.createNativeQuery("delete from device_history where seq in (select seq from"
                + " device_history where at < ?1 order by seq limit ?2)")
                .setParameter(1, before)
                .setParameter(2, limit)
                .executeUpdate();
    }

    /** A rollout's entries after the cursor {@code (afterAt, afterKey)} (null: from the start), oldest first. */
    public List<HistoryEntry> rollout(String rolloutId, Instant afterAt, String afterKey, int limit) {
        return page("""
                select at, lpad(seq::text, 20, '0'), type, actor, reason, wave, cohort, device_id, null::bigint,
                       rollout_id, details
                from rollout_history where rollout_id = ? and tenant_id = ?
                """, List.of(rolloutId, tenants.current()), afterAt, afterKey, limit);
    }

    /**
     * A device's entries after the cursor, oldest first: the requests of its actions, the reports about them, and the
     * rollout entries naming the device or a cohort it had an action in (cohort rollbacks).
     */
    public List<HistoryEntry> device(String deviceId, Instant afterAt, String afterKey, int limit) {
        return page("""
                select a.created_at, 'a' || lpad(a.action_id::text, 20, '0'),
                       case when a.rollback then 'ROLLBACK_REQUESTED' else 'INSTALL_REQUESTED' end, 'system', null,
                       a.wave, a.cohort, a.device_id, a.action_id, a.rollout_id,
                       'release ' || a.release_id || ' version ' || a.version || ', attempt ' || a.attempt
                from device_action a where a.device_id = ? and a.tenant_id = ?
                union all
                select h.at, 'd' || lpad(h.seq::text, 20, '0'), h.type, coalesce(h.actor, 'device'), h.reason,
                       null, null, h.device_id,
                       h.action_id, h.rollout_id, h.details
                from device_history h where h.device_id = ? and h.tenant_id = ?
                union all
                select r.at, 'r' || lpad(r.seq::text, 20, '0'), r.type, r.actor, r.reason, r.wave, r.cohort,
                       r.device_id, null, r.rollout_id, r.details
                from rollout_history r
                where r.tenant_id = ? and (r.device_id = ?
                   or (r.type = 'COHORT_ROLLED_BACK' and exists (select 1 from device_action x
                       where x.device_id = ? and x.tenant_id = r.tenant_id and x.rollout_id = r.rollout_id
                             and x.cohort = r.cohort and not x.rollback)))
                """, deviceParams(tenants.current(), deviceId), afterAt, afterKey, limit);
    }

    private static List<String> deviceParams(String tenant, String deviceId) {
        return List.of(deviceId, tenant, deviceId, tenant, tenant, deviceId, deviceId);
    }

    private List<HistoryEntry> page(String union, List<String> params, Instant afterAt, String afterKey, int limit) {
        String sql = "select * from (" + union + ") e (at, key, type, actor, reason, wave, cohort, device_id,"
                + " action_id, rollout_id, details)"
                + (afterAt == null ? "" : " where (e.at, e.key) > (?, ?)")
                + " order by e.at, e.key limit ?";
        List<HistoryEntry> entries = new ArrayList<>();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int i = 1;
                for (String param : params) {
                    select.setString(i++, param);
                }
                if (afterAt != null) {
                    select.setTimestamp(i++, Timestamp.from(afterAt));
                    select.setString(i++, afterKey);
                }
                select.setInt(i, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        int wave = rows.getInt(6);
                        Integer waveOrNull = rows.wasNull() ? null : wave;
                        long action = rows.getLong(9);
                        Long actionOrNull = rows.wasNull() ? null : action;
                        entries.add(new HistoryEntry(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), waveOrNull, rows.getString(7),
                                rows.getString(8), actionOrNull, rows.getString(10), rows.getString(11)));
                    }
                }
            }
        });
        return entries;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
