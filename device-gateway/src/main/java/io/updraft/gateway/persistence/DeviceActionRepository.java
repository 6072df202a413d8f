package io.updraft.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.DeviceAction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

@ApplicationScoped
public class DeviceActionRepository implements PanacheRepositoryBase<DeviceAction, DeviceAction.Key> {
    private static final List<ActionStatus> CURRENT = List.of(ActionStatus.PENDING, ActionStatus.RETRIEVED,
            ActionStatus.RUNNING, ActionStatus.CANCELING);

    /*
     * Set-based statements for a polled batch of commands (CommandIntake.applyAll). Actions travel as detached
     * DeviceAction objects (never persisted through the session), and arrays bind a whole batch to one statement.
     */

    private static final String OPEN_OR_KNOWN = """
            select action_id, controller_id, status, command_event_id, command, created_at, updated_at, expires_at,
                   awaiting_confirmation, confirm_by
            from device_action
            where tenant_id = ?
              and ((controller_id = any(?) and status in ('QUEUED', 'PENDING', 'RETRIEVED', 'RUNNING', 'CANCELING'))
                   or action_id = any(?))""";

    private static final String INSERT_ALL = """
            insert into device_action
                (tenant_id, action_id, controller_id, status, command_event_id, command, created_at, updated_at,
                 expires_at, awaiting_confirmation, confirm_by)
            select ?, t.action_id, t.controller_id, t.status, t.event_id, t.command,
                   t.created_at::timestamptz, t.updated_at::timestamptz, t.expires_at::timestamptz, t.awaiting,
                   t.confirm_by::timestamptz
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::boolean[], ?::text[])
                with ordinality as t(action_id, controller_id, status, event_id, command, created_at, updated_at,
                                     expires_at, awaiting, confirm_by, n)
            order by t.n""";

    private static final String UPDATE_ALL = """
            update device_action a set status = t.status, updated_at = t.updated_at::timestamptz
            from unnest(?::bigint[], ?::varchar[], ?::text[]) as t(action_id, status, updated_at)
            where a.tenant_id = ? and a.action_id = t.action_id""";

    /**
     * Locks the devices of up to {@code limit} actions due to expire (oldest deadline first) — past their expiresAt, or
     * past their confirmBy while they wait for a device without auto-confirm — skipping devices another transaction
     * holds, and answers those actions' keys. Every tenant's: the sweep is the platform's, each action is then expired
     * in its own tenant.
     */
    public List<DeviceAction.Key> lockDue(Instant now, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> due = getEntityManager().createNativeQuery("""
                select due.tenant_id, due.action_id from (
                    select a.tenant_id, a.action_id, a.controller_id, a.expires_at as due_at from device_action a
                    where a.expires_at <= ?1 and a.status in ('QUEUED', 'PENDING', 'RETRIEVED')
                    union
                    select a.tenant_id, a.action_id, a.controller_id, a.confirm_by from device_action a
                    join device c on c.tenant_id = a.tenant_id and c.controller_id = a.controller_id
                        and not c.auto_confirm
                    where a.confirm_by <= ?1 and a.awaiting_confirmation and a.status = 'PENDING'
                ) due join device d on d.tenant_id = due.tenant_id and d.controller_id = due.controller_id
                order by due.due_at limit ?2
                for update of d skip locked""")
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
        return due.stream().map(row -> new DeviceAction.Key((String) row[0], ((Number) row[1]).longValue())).toList();
    }

    public Optional<DeviceAction> byId(String tenant, long actionId) {
        return findByIdOptional(new DeviceAction.Key(tenant, actionId));
    }

    /** The one action the device sees, if any. */
    public Optional<DeviceAction> current(String tenant, String controllerId) {
        return find("tenantId = ?1 and controllerId = ?2 and status in ?3", tenant, controllerId, CURRENT)
                .firstResultOptional();
    }

    public Optional<DeviceAction> queued(String tenant, String controllerId) {
        return find("tenantId = ?1 and controllerId = ?2 and status = ?3", tenant, controllerId, ActionStatus.QUEUED)
                .firstResultOptional();
    }

    public Optional<DeviceAction> ofDevice(String tenant, String controllerId, long actionId) {
        return find("tenantId = ?1 and actionId = ?2 and controllerId = ?3", tenant, actionId, controllerId)
                .firstResultOptional();
    }

    /** The current action, else the one that changed last (a device may fetch artifacts of what it just ran). */
    public Optional<DeviceAction> currentOrLatest(String tenant, String controllerId) {
        return current(tenant, controllerId).or(() -> find(
                "tenantId = ?1 and controllerId = ?2 and status <> ?3 order by updatedAt desc", tenant, controllerId,
                ActionStatus.QUEUED).firstResultOptional());
    }

    /** The action the device finished last: what hawkBit calls its installed base. */
    public Optional<DeviceAction> lastFinished(String tenant, String controllerId) {
        return find("tenantId = ?1 and controllerId = ?2 and status = ?3 order by updatedAt desc", tenant,
                controllerId, ActionStatus.FINISHED).firstResultOptional();
    }

    /** Confirms every action of the device still waiting for it (auto-confirm switched on); callers hold its lock. */
    public int confirmAll(String tenant, String controllerId) {
        return update("awaitingConfirmation = false where tenantId = ?1 and controllerId = ?2"
                + " and awaitingConfirmation = true", tenant, controllerId);
    }

    public List<DeviceAction> allOf(String tenant, String controllerId) {
        return list("tenantId = ?1 and controllerId = ?2 order by createdAt desc", tenant, controllerId);
    }

    /**
     * The open (current or queued) actions of {@code controllerIds} and the actions with one of {@code actionIds},
     * whatever their device or status, in one statement; callers hold the devices' row locks.
     */
    public List<DeviceAction> openOrKnown(String tenant, Collection<String> controllerIds, Collection<Long> actionIds) {
        List<DeviceAction> found = new ArrayList<>();
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(OPEN_OR_KNOWN)) {
                select.setString(1, tenant);
                select.setArray(2, connection.createArrayOf("varchar", controllerIds.toArray(String[]::new)));
                select.setArray(3, connection.createArrayOf("bigint", actionIds.toArray(Long[]::new)));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        DeviceAction action = new DeviceAction();
                        action.tenantId = tenant;
                        action.actionId = rows.getLong(1);
                        action.controllerId = rows.getString(2);
                        action.status = ActionStatus.valueOf(rows.getString(3));
                        action.commandEventId = rows.getString(4);
                        action.command = rows.getString(5);
                        action.createdAt = instant(rows.getTimestamp(6));
                        action.updatedAt = instant(rows.getTimestamp(7));
                        action.expiresAt = instant(rows.getTimestamp(8));
                        action.awaitingConfirmation = rows.getBoolean(9);
                        action.confirmBy = instant(rows.getTimestamp(10));
                        found.add(action);
                    }
                }
            }
        });
        return found;
    }

    /** Inserts new actions in the given order, in one statement. */
    public void insertAll(String tenant, List<DeviceAction> created) {
        if (created.isEmpty()) {
            return;
        }
        int n = created.size();
        Long[] ids = new Long[n];
        String[] devices = new String[n];
        String[] statuses = new String[n];
        String[] eventIds = new String[n];
        String[] commands = new String[n];
        String[] createdAt = new String[n];
        String[] updatedAt = new String[n];
        String[] expiresAt = new String[n];
        Boolean[] awaiting = new Boolean[n];
        String[] confirmBy = new String[n];
        for (int i = 0; i < n; i++) {
            DeviceAction action = created.get(i);
            ids[i] = action.actionId;
            devices[i] = action.controllerId;
            statuses[i] = action.status.name();
            eventIds[i] = action.commandEventId;
            commands[i] = action.command;
            createdAt[i] = text(action.createdAt);
            updatedAt[i] = text(action.updatedAt);
            expiresAt[i] = text(action.expiresAt);
            awaiting[i] = action.awaitingConfirmation;
            confirmBy[i] = text(action.confirmBy);
        }
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
                insert.setString(1, tenant);
                insert.setArray(2, connection.createArrayOf("bigint", ids));
                insert.setArray(3, connection.createArrayOf("varchar", devices));
                insert.setArray(4, connection.createArrayOf("varchar", statuses));
                insert.setArray(5, connection.createArrayOf("varchar", eventIds));
                insert.setArray(6, connection.createArrayOf("text", commands));
                insert.setArray(7, connection.createArrayOf("text", createdAt));
                insert.setArray(8, connection.createArrayOf("text", updatedAt));
                insert.setArray(9, connection.createArrayOf("text", expiresAt));
                insert.setArray(10, connection.createArrayOf("boolean", awaiting));
                insert.setArray(11, connection.createArrayOf("text", confirmBy));
                insert.executeUpdate();
            }
        });
    }

    /**
     * Writes status and updatedAt of existing actions in one statement. PostgreSQL checks the one-current and
     * one-queued indexes row by row, so callers pass actions leaving those states in an earlier call than actions
     * entering them.
     */
    public void updateAll(String tenant, List<DeviceAction> moved) {
        if (moved.isEmpty()) {
            return;
        }
        Long[] ids = moved.stream().map(action -> action.actionId).toArray(Long[]::new);
        String[] statuses = moved.stream().map(action -> action.status.name()).toArray(String[]::new);
        String[] updatedAt = moved.stream().map(action -> text(action.updatedAt)).toArray(String[]::new);
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(UPDATE_ALL)) {
                update.setArray(1, connection.createArrayOf("bigint", ids));
                update.setArray(2, connection.createArrayOf("varchar", statuses));
                update.setArray(3, connection.createArrayOf("text", updatedAt));
                update.setString(4, tenant);
                update.executeUpdate();
            }
        });
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** ISO-8601 in UTC: read back by PostgreSQL as the same instant whatever the session's time zone. */
    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
