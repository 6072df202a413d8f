package io.updraft.rollout.persistence;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * The actions a polled batch of device-reports names, read and moved set-based: one statement each, whatever the
 * batch's size ({@code ActionTracker#reportAll}); only the current tenant's actions ({@link Tenants#current()}): a
 * report naming another tenant's action id is a report about an unknown action.
 */
@ApplicationScoped
public class ActionReports {
    /** An action as stored, with its attempt number (1 for the first). */
    public record Stored(DeviceAction action, int attempt) {
    }

    /** An action moving from the state it was read in to {@code to}. */
    public record Change(long actionId, ActionState from, ActionState to) {
    }

    @Inject
    EntityManager entityManager;
    @Inject
    Tenants tenants;

    /** The rollouts of the given actions (unknown ids are left out), in id order: the order to lock them in. */
    public List<String> rolloutsOf(Collection<Long> actionIds) {
        List<String> rollouts = new ArrayList<>();
        if (actionIds.isEmpty()) {
            return rollouts;
        }
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select distinct rollout_id from device_action"
                    + " where action_id = any(?) and tenant_id = ? order by rollout_id")) {
                select.setArray(1, connection.createArrayOf("bigint", actionIds.toArray(Long[]::new)));
                select.setString(2, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rollouts.add(rows.getString(1));
                    }
                }
            }
        });
        return rollouts;
    }

    /** The given actions as stored (unknown ids are left out), by action id. */
    public Map<Long, Stored> find(Collection<Long> actionIds) {
        Map<Long, Stored> found = new HashMap<>();
        if (actionIds.isEmpty()) {
            return found;
        }
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    select action_id, rollout_id, device_id, wave, cohort, release_id, version, rollback, state, attempt
                    from device_action where action_id = any(?) and tenant_id = ?""")) {
                select.setArray(1, connection.createArrayOf("bigint", actionIds.toArray(Long[]::new)));
                select.setString(2, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        DeviceAction action = new DeviceAction(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getInt(4), rows.getString(5), rows.getString(6), rows.getString(7),
                                rows.getBoolean(8), ActionState.valueOf(rows.getString(9)));
                        found.put(action.actionId(), new Stored(action, rows.getInt(10)));
                    }
                }
            }
        });
        return found;
    }

    /**
     * Moves each action from the state it was read in to its new state, in one statement. The caller holds the
     * actions' rollout locks, under which every other writer of action states works, so each row still is as read;
     * if one is not, this throws and the transaction must roll back.
     */
    public void moveAll(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Change> ordered = changes.stream().sorted(java.util.Comparator.comparingLong(Change::actionId)).toList();
        Long[] ids = ordered.stream().map(Change::actionId).toArray(Long[]::new);
        String[] from = ordered.stream().map(change -> change.from().name()).toArray(String[]::new);
        String[] to = ordered.stream().map(change -> change.to().name()).toArray(String[]::new);
        String tenant = tenants.current();
        work(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update device_action a set state = t.next, updated_at = now()
                    from unnest(?::bigint[], ?::varchar[], ?::varchar[]) as t(action_id, state, next)
                    where a.action_id = t.action_id and a.state = t.state and a.tenant_id = ?""")) {
                update.setArray(1, connection.createArrayOf("bigint", ids));
                update.setArray(2, connection.createArrayOf("varchar", from));
                update.setArray(3, connection.createArrayOf("varchar", to));
                update.setString(4, tenant);
                int moved = update.executeUpdate();
                if (moved != ids.length) {
                    throw new IllegalStateException("expected to move " + ids.length + " actions, moved " + moved
                            + ": an action changed although its rollout was locked");
                }
            }
        });
    }

    private interface Work {
        void execute(Connection connection) throws SQLException;
    }

    private void work(Work work) {
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(work::execute);
    }
}
