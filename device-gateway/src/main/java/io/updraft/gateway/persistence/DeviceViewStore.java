package io.updraft.gateway.persistence;

import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.domain.DeviceQuotaExceeded;
import io.updraft.gateway.domain.Expiry;
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.domain.TargetTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.hibernate.Session;

/**
 * The only database access of the poll path, the first-contact batch's registration included; it counts its view
 * statements so the cache's effect can be measured.
 */
@ApplicationScoped
public class DeviceViewStore {
    /** Every device with its current action (if any) and its last finished one, in one streamed statement. */
    private static final String ALL_VIEWS = """
            select d.controller_id, d.token_sha256, d.registered_at is not null, d.attributes_reported,
                   a.action_id, a.status, a.command_event_id, a.expires_at,
                   (select f.action_id from device_action f where f.tenant_id = d.tenant_id
                      and f.controller_id = d.controller_id
                      and f.status = 'FINISHED' order by f.updated_at desc limit 1),
                   a.awaiting_confirmation, d.auto_confirm, a.confirm_by, d.tenant_id
            from device d
            left join device_action a on a.tenant_id = d.tenant_id and a.controller_id = d.controller_id
                 and a.status in ('PENDING', 'RETRIEVED', 'RUNNING', 'CANCELING')""";

    /** The same views for some devices of one tenant, read on the caller's connection (the first-contact batch). */
    private static final String SOME_VIEWS = ALL_VIEWS + "\nwhere d.tenant_id = ? and d.controller_id = any(?)";

    /** New devices are inserted registered; known ones get registered_at only if they had none (returned then). */
    private static final String REGISTER = """
            insert into device (tenant_id, controller_id, created_at, registered_at)
            select ?, id, ?::timestamptz, ?::timestamptz from unnest(?::varchar[]) as id
            on conflict (tenant_id, controller_id) do update set registered_at = excluded.registered_at
            where device.registered_at is null
            returning controller_id, attributes""";

    @Inject
    EntityManager entityManager;
    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    DataSource dataSource;

    private final AtomicLong statements = new AtomicLong();

    /** In a transaction of its own, so it works from any thread (the poll's fast path runs on the event loop). */
    @Transactional
    public PollView load(String tenant, String controllerId) {
        statements.incrementAndGet();
        Device device = devices.byId(tenant, controllerId);
        if (device == null) {
            return PollView.UNKNOWN;
        }
        statements.addAndGet(2);
        PollView.Offer offer = actions.current(tenant, controllerId)
                .map(action -> offerOf(action, device.autoConfirm)).orElse(null);
        long installed = actions.lastFinished(tenant, controllerId).map(a -> a.actionId).orElse(0L);
        return new PollView(true, TargetTokens.raw(device.tokenSha256), device.registeredAt != null,
                device.attributesReported, installed, offer);
    }

    /**
     * Streams the view of every known device of every tenant, by its {@link DeviceKeys device key} (used to warm the
     * cache at start instead of one load per device).
     *
     * @return how many views were handed to {@code sink}
     */
    public long loadAll(BiConsumer<String, PollView> sink) throws SQLException {
        long count = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement query = connection.prepareStatement(ALL_VIEWS)) {
                query.setFetchSize(5_000);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(DeviceKeys.of(rows.getString(13), rows.getString(1)), viewOf(rows));
                        count++;
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
        return count;
    }

    /**
     * The first-contact batch's statements, on the session's connection in the caller's transaction: the views of
     * {@code visited} in one statement (no lock, as a single load); those of {@code registering} that are unknown or
     * not registered yet are then registered by one multi-row upsert, which re-checks {@code registered_at} under the
     * row locks it takes (so each device is registered once, even against another replica), and their views read
     * again under those locks. Known, registered devices are not locked at all.
     *
     * <p>With a device quota ({@code maxDevices} not null) and devices to create, the tenant's quota lock is taken and
     * its devices counted first: the unknown devices that fit are created (in id order), the rest are not and get
     * {@link PollView#OVER_QUOTA}. Devices the tenant has (registered or not) are never refused, and a batch without a
     * new device of a limited tenant counts nothing.
     *
     * @param maxDevices the tenant's device quota; null = unlimited
     * @param views receives the view of every known device of {@code visited}, as it will be at commit, and
     *        {@link PollView#OVER_QUOTA} for each device of {@code registering} the quota kept out
     * @param registered gets each device this call registered, with its attributes (JSON)
     */
    public void loadRegistering(String tenant, String[] visited, Set<String> registering, Long maxDevices,
            Map<String, PollView> views, BiConsumer<String, String> registered) {
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            loadSome(connection, tenant, visited, views::put);
            // sorted: concurrent batches (other replicas) take their row locks in the same order
            String[] toRegister = registering.stream().filter(id -> {
                PollView view = views.get(id);
                return view == null || !view.registered();
            }).sorted().toArray(String[]::new);
            if (maxDevices != null) {
                toRegister = withinQuota(connection, tenant, toRegister, views, maxDevices);
            }
            if (toRegister.length == 0) {
                return;
            }
            try (PreparedStatement upsert = connection.prepareStatement(REGISTER)) {
                Timestamp now = Timestamp.from(Instant.now());
                upsert.setString(1, tenant);
                upsert.setTimestamp(2, now);
                upsert.setTimestamp(3, now);
                upsert.setArray(4, connection.createArrayOf("varchar", toRegister));
                try (ResultSet rows = upsert.executeQuery()) {
                    while (rows.next()) {
                        registered.accept(rows.getString(1), rows.getString(2));
                    }
                }
            }
            loadSome(connection, tenant, toRegister, views::put); // under the locks: as they will be at commit
        });
    }

    /**
     * The devices of {@code toRegister} (sorted) that the tenant's quota lets in: those it already has, and as many
     * unknown ones as there is room for, in id order; each unknown one left out gets {@link PollView#OVER_QUOTA}.
     * Counts (under the tenant's quota lock) only when one of them is unknown.
     */
    private static String[] withinQuota(Connection connection, String tenant, String[] toRegister,
            Map<String, PollView> views, long maxDevices) throws SQLException {
        if (Arrays.stream(toRegister).allMatch(views::containsKey)) {
            return toRegister; // every one has a row already: nothing to create, nothing to count
        }
        DeviceRepository.QuotaCount count = DeviceRepository.lockQuota(connection, tenant, toRegister);
        long room = DeviceQuotaExceeded.room(count.devices(), maxDevices);
        List<String> admitted = new ArrayList<>(toRegister.length);
        for (String id : toRegister) {
            if (count.existing().contains(id)) {
                admitted.add(id); // created meanwhile (another replica, a command): it is the tenant's already
            } else if (room > 0) {
                room--;
                admitted.add(id);
            } else {
                views.put(id, PollView.OVER_QUOTA);
            }
        }
        return admitted.toArray(String[]::new);
    }

    /**
     * The views of {@code controllerIds} in one statement on {@code connection} (inside the caller's transaction);
     * unknown ids are simply absent.
     */
    private void loadSome(Connection connection, String tenant, String[] controllerIds,
            BiConsumer<String, PollView> sink) throws SQLException {
        statements.incrementAndGet();
        try (PreparedStatement query = connection.prepareStatement(SOME_VIEWS)) {
            query.setString(1, tenant);
            query.setArray(2, connection.createArrayOf("varchar", controllerIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sink.accept(rows.getString(1), viewOf(rows));
                }
            }
        }
    }

    private static PollView viewOf(ResultSet rows) throws SQLException {
        PollView.Offer offer = null;
        long actionId = rows.getLong(5);
        if (!rows.wasNull()) {
            Timestamp expiresAt = rows.getTimestamp(8);
            ActionStatus status = ActionStatus.valueOf(rows.getString(6));
            boolean confirm = status == ActionStatus.PENDING && rows.getBoolean(10) && !rows.getBoolean(11);
            Timestamp confirmBy = confirm ? rows.getTimestamp(12) : null;
            offer = new PollView.Offer(actionId, confirm ? PollView.Kind.CONFIRMATION : kindOf(status),
                    DeviceAction.linkHash(actionId, rows.getString(7)),
                    expiry(status, Expiry.earliest(expiresAt == null ? null : expiresAt.toInstant(),
                            confirmBy == null ? null : confirmBy.toInstant())));
        }
        return new PollView(true, TargetTokens.raw(rows.getString(2)), rows.getBoolean(3), rows.getBoolean(4),
                rows.getLong(9), offer);
    }

    private static PollView.Offer offerOf(DeviceAction action, boolean autoConfirm) {
        return new PollView.Offer(action.actionId,
                action.needsConfirmation(autoConfirm) ? PollView.Kind.CONFIRMATION : kindOf(action.status),
                action.linkHash(),
                expiry(action.status, action.dueAt(autoConfirm)));
    }

    /** Only an action that can still expire carries its expiry: a started one must not be re-checked every poll. */
    private static long expiry(ActionStatus status, Instant expiresAt) {
        return status.next(ActionStatus.Trigger.EXPIRE).isPresent() ? PollView.Offer.expiry(expiresAt)
                : PollView.Offer.NEVER;
    }

    private static PollView.Kind kindOf(ActionStatus status) {
        return status.offersCancel() ? PollView.Kind.CANCEL : PollView.Kind.DEPLOYMENT;
    }

    /** SQL statements run for poll views since start. */
    public long statements() {
        return statements.get();
    }
}
