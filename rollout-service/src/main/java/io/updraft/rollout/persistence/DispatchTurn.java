package io.updraft.rollout.persistence;

import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.MaintenanceWindow;
import io.updraft.rollout.domain.CommandBucket;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.RateBudget;
import io.updraft.rollout.domain.RolloutRate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of one turn of the command dispatcher, all on the turn's connection (so in its transaction, under
 * the lock it takes on the wave's {@code command_dispatch} row); see {@link DispatchRepository}. A wave is one
 * rollout's, so one tenant's: {@link Wave#tenant()} is read once with the wave and every statement of the turn names
 * it (ADR 0021) — a constant of the statement, no extra query or column read per device.
 */
public final class DispatchTurn {
    private final Connection connection;

    DispatchTurn(Connection connection) {
        this.connection = connection;
    }

    /**
     * Plans this transaction's statements for their actual cursors: a generic plan, made once the prepared statements
     * were reused a few times and cached with the table's statistics of that moment, could scan every action of the
     * rollout for each chunk instead of the range.
     */
    public void customPlans() throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("set local plan_cache_mode = force_custom_plan")) {
            set.execute();
        }
    }

    private static final String WAVE = """
            select d.rollout_id, d.wave, d.last_action_id, r.action_type, c.release_id, c.name, c.version,
                   c.artifacts::text, d.created_at, r.action_deadline_ms, r.window_cron, r.window_duration,
                   r.window_zone, d.last_device_id, d.all_created, d.sent, r.rate_max_per_minute,
                   r.rate_base_per_minute, r.rate_factor, r.rate_step, r.rate_counts_succeeded,
                   d.rate_per_minute, d.rate_next_step, d.rate_tokens, d.rate_at, d.created_upto,
                   r.confirmation_required, r.confirmation_deadline_ms, d.tenant_id
            from command_dispatch d
            join rollout r on r.tenant_id = d.tenant_id and r.id = d.rollout_id
            join release c on c.tenant_id = r.tenant_id and c.release_id = r.release_id
            """;

    /**
     * The oldest wave still sending that no other replica is working on, locked for this transaction; of any tenant
     * (platform-wide on purpose: one dispatcher serves every tenant, each wave in its own).
     */
    public Wave nextWave() throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(WAVE + """
                where d.not_before is null or d.not_before <= now()
                order by d.created_at, d.rollout_id, d.wave
                limit 1
                for update of d skip locked""");
                ResultSet row = select.executeQuery()) {
            return row.next() ? wave(row) : null;
        }
    }

    /** One rollout's wave as {@link #nextWave} reads it, locked (the start-up rehearsal: {@code DispatchRehearsal}). */
    public Wave wave(String tenant, String rolloutId, int wave) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(WAVE + """
                where d.rollout_id = ? and d.wave = ? and d.tenant_id = ?
                for update of d""")) {
            select.setString(1, rolloutId);
            select.setInt(2, wave);
            select.setString(3, tenant);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? wave(row) : null;
            }
        }
    }

    private static Wave wave(ResultSet row) throws SQLException {
        // expiresAt counts from the wave's start (its dispatch row), so a chunk re-sent after a crash is identical
        long deadlineMillis = row.getLong(10);
        Instant expiresAt = row.wasNull() ? null
                : row.getTimestamp(9).toInstant().plusMillis(deadlineMillis);
        String cron = row.getString(11);
        MaintenanceWindow window = cron == null ? null
                : new MaintenanceWindow(cron, row.getString(12), row.getString(13));
        RolloutRate rate = null;
        RateBudget budget = null;
        int max = row.getInt(17);
        if (!row.wasNull()) {
            int base = row.getInt(18);
            Integer basePerMinute = row.wasNull() ? null : base;
            Double factor = basePerMinute == null ? null : row.getDouble(19);
            Integer step = basePerMinute == null ? null : row.getInt(20);
            boolean succeeded = row.getBoolean(21);
            rate = new RolloutRate(max, basePerMinute, factor, basePerMinute == null || succeeded ? null : step,
                    basePerMinute != null && succeeded ? step : null);
            double perMinute = row.getDouble(22);
            if (!row.wasNull()) {
                budget = new RateBudget(perMinute, row.getLong(23), row.getDouble(24),
                        row.getTimestamp(25).toInstant());
            }
        }
        // confirmBy counts from the wave's start as expiresAt does
        long confirmMillis = row.getLong(28);
        Instant confirmBy = row.wasNull() || !row.getBoolean(27) ? null
                : row.getTimestamp(9).toInstant().plusMillis(confirmMillis);
        long createdUpto = row.getLong(26);
        Long createdUptoOrNull = row.wasNull() ? null : createdUpto;
        return new Wave(row.getString(29), row.getString(1), row.getInt(2), row.getLong(3), ActionType.valueOf(row.getString(4)),
                row.getString(5), row.getString(6), row.getString(7), JsonColumns.artifacts(row.getString(8)),
                expiresAt, window, row.getString(14), row.getBoolean(15), row.getLong(16), rate, budget,
                createdUptoOrNull, row.getBoolean(27), confirmBy);
    }

    /** Installs of the wave that succeeded so far (the ramp's numberOfSucceededThings). */
    public long succeeded(Wave wave) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select coalesce(sum(succeeded), 0) from wave_cohort"
                        + " where rollout_id = ? and wave = ? and tenant_id = ?")) {
            select.setString(1, wave.rolloutId);
            select.setInt(2, wave.wave);
            select.setString(3, wave.tenant);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    public void saveBudget(Wave wave, RateBudget budget, Instant notBefore)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update command_dispatch set rate_per_minute = ?, rate_next_step = ?, rate_tokens = ?, rate_at = ?,
                       not_before = ?
                where rollout_id = ? and wave = ? and tenant_id = ?""")) {
            update.setDouble(1, budget.ratePerMinute());
            update.setLong(2, budget.nextStep());
            update.setDouble(3, budget.tokens());
            update.setTimestamp(4, java.sql.Timestamp.from(budget.at()));
            update.setTimestamp(5, notBefore == null ? null : java.sql.Timestamp.from(notBefore));
            update.setString(6, wave.rolloutId);
            update.setInt(7, wave.wave);
            update.setString(8, wave.tenant);
            update.executeUpdate();
        }
    }

    /**
     * The tenant's command budget ({@code maxCommandsPerSecond}), locked for the rest of the turn: the turns of one
     * tenant's waves take from it one at a time, on any replica. A tenant's first turn under a quota finds it full.
     * Named by its tenant, not by {@code Tenants.current()}: the dispatcher serves every tenant, the wave names whose.
     */
    public CommandBucket tenantBudget(String tenant, int perSecond, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into tenant_command_budget (tenant_id, tokens, refilled_at) values (?, ?, ?)
                on conflict (tenant_id) do nothing""")) {
            CommandBucket full = CommandBucket.full(perSecond, now);
            insert.setString(1, tenant);
            insert.setDouble(2, full.tokens());
            insert.setTimestamp(3, java.sql.Timestamp.from(full.at()));
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "select tokens, refilled_at from tenant_command_budget where tenant_id = ? for update")) {
            select.setString(1, tenant);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new CommandBucket(row.getDouble(1), row.getTimestamp(2).toInstant());
            }
        }
    }

    public void saveTenantBudget(String tenant, CommandBucket bucket) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update tenant_command_budget set tokens = ?, refilled_at = ? where tenant_id = ?")) {
            update.setDouble(1, bucket.tokens());
            update.setTimestamp(2, java.sql.Timestamp.from(bucket.at()));
            update.setString(3, tenant);
            update.executeUpdate();
        }
    }

    /** Leaves the wave alone until {@code notBefore}: its tenant's budget is spent; other waves go on meanwhile. */
    public void holdWave(Wave wave, Instant notBefore) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update command_dispatch set not_before = ? where rollout_id = ? and wave = ? and tenant_id = ?")) {
            update.setTimestamp(1, java.sql.Timestamp.from(notBefore));
            update.setString(2, wave.rolloutId);
            update.setInt(3, wave.wave);
            update.setString(4, wave.tenant);
            update.executeUpdate();
        }
    }

    /**
     * The wave's installs created and not sent yet, in action id order: a range of the primary key, from the sending
     * cursor up to the highest action id the dispatcher created (unbounded for a dispatch row written before V54), so
     * no index per wave is kept up to date for a million inserts. Read whole before the next statement runs.
     *
     * <p>The bounded range is read first on its own (a materialised CTE, which the planner cannot merge with the
     * conditions on rollout, wave and state), then filtered. Written as one {@code where}, a wave's first minute
     * plans it with no statistics for {@code device_action} (autovacuum has not analysed the rows just inserted), and
     * the planner took {@code device_action_rollout_cohort} for the rollout's SCHEDULED actions and filtered the
     * range out of them: every action of the rollout on every turn, 980,000 rows read for 20,000 at a million devices
     * (327 ms against 32 ms for the range, {@code EXPLAIN ANALYZE}; ADR 0026).
     */
    public List<Install> createdInstalls(Wave wave, int limit) throws SQLException {
        List<Install> installs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(wave.createdUpto == null ? """
                select action_id, device_id, cohort from device_action
                where action_id > ? and rollout_id = ? and wave = ? and not rollback and state = 'SCHEDULED'
                      and tenant_id = ?
                order by action_id limit ?""" : """
                with range as materialized (
                    select action_id, device_id, cohort, rollout_id, wave, rollback, state, tenant_id
                    from device_action where action_id > ? and action_id <= ?)
                select action_id, device_id, cohort from range
                where rollout_id = ? and wave = ? and not rollback and state = 'SCHEDULED' and tenant_id = ?
                order by action_id limit ?""")) {
            select.setFetchSize(5_000);
            int i = 1;
            select.setLong(i++, wave.lastActionId);
            if (wave.createdUpto != null) {
                select.setLong(i++, wave.createdUpto);
            }
            select.setString(i++, wave.rolloutId);
            select.setInt(i++, wave.wave);
            select.setString(i++, wave.tenant);
            select.setInt(i, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    installs.add(new Install(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
        }
        return installs;
    }

    public record Install(long actionId, String deviceId, String cohort) {
    }

    /**
     * Creates the install actions of the wave's next {@code chunkSize} devices after the creation cursor (devices in
     * id order; those of cohorts no longer ACTIVE, or that already have an install, get none). Action ids ascend in
     * device order, which is the order the sending cursor walks.
     *
     * <p>A plain insert, not {@code on conflict do nothing}: a speculative insertion per row cost half again as much
     * (measured on a million actions). The installs that exist already in the chunk's device range — a device that
     * joined the running wave of a dynamic rollout, or a chunk created again — are read first with one range scan and
     * left out. No other transaction can add one meanwhile: a joining device's rollout_device row and its action
     * commit together, so it is either in both or in neither. Should one slip through anyway, the unique index
     * {@code device_action_one_install} fails this transaction, which rolls back and is retried: never a second
     * install.
     */
    public Created createNextChunk(Wave wave, int limit) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                with next as (
                    select rd.device_id, rd.cohort from rollout_device rd
                    where rd.rollout_id = ? and rd.wave = ? and rd.device_id > ? and rd.tenant_id = ?
                    order by rd.device_id limit ?),
                existing as materialized (
                    select a.device_id from device_action a
                    where a.rollout_id = ? and not a.rollback and a.device_id > ? and a.tenant_id = ?
                          and a.device_id <= (select max(device_id) from next)),
                created as (
                    insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                               rollback, state, created_at, updated_at, tenant_id)
                    select nextval('action_id_seq'), s.rollout_id, s.device_id, s.wave, s.cohort, s.release_id,
                           s.version, false, 'SCHEDULED', now(), now(), s.tenant_id
                    from (select ? as rollout_id, n.device_id, ? as wave, n.cohort, ? as release_id, ? as version,
                                 ? as tenant_id
                          from next n
                          join rollout_cohort c on c.rollout_id = ? and c.tenant_id = ? and c.cohort = n.cohort
                                               and c.state = 'ACTIVE'
                          left join existing e on e.device_id = n.device_id
                          where e.device_id is null
                          order by n.device_id) s
                    returning action_id)
                select (select count(*) from next), (select max(device_id) from next), (select count(*) from created),
                       (select max(action_id) from created)
                """)) {
            String after = wave.lastDeviceId == null ? "" : wave.lastDeviceId;
            int i = 1;
            insert.setString(i++, wave.rolloutId);
            insert.setInt(i++, wave.wave);
            insert.setString(i++, after);
            insert.setString(i++, wave.tenant);
            insert.setInt(i++, limit);
            insert.setString(i++, wave.rolloutId);
            insert.setString(i++, after);
            insert.setString(i++, wave.tenant);
            insert.setString(i++, wave.rolloutId);
            insert.setInt(i++, wave.wave);
            insert.setString(i++, wave.releaseId);
            insert.setString(i++, wave.version);
            insert.setString(i++, wave.tenant);
            insert.setString(i++, wave.rolloutId);
            insert.setString(i, wave.tenant);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                long maxActionId = row.getLong(4);
                Long maxActionIdOrNull = row.wasNull() ? null : maxActionId; // no action created
                return new Created(row.getInt(1), row.getString(2), row.getInt(3), maxActionIdOrNull);
            }
        }
    }

    public record Created(int scanned, String lastDeviceId, int actions, Long maxActionId) {
    }


    /** The wave has nothing left to create or send: its dispatch row goes. */
    public void finish(Wave wave) throws SQLException {
        try (PreparedStatement done = connection.prepareStatement(
                "delete from command_dispatch where rollout_id = ? and wave = ? and tenant_id = ?")) {
            done.setString(1, wave.rolloutId);
            done.setInt(2, wave.wave);
            done.setString(3, wave.tenant);
            done.executeUpdate();
        }
    }

    /** Moves both cursors of the wave's dispatch row once every command of the turn is acknowledged. */
    public void moveCursors(Wave wave, long lastActionId, String lastDeviceId, boolean allCreated, int sent,
            Long createdUpto) throws SQLException {
        try (PreparedStatement cursor = connection.prepareStatement("""
                update command_dispatch set last_action_id = ?, last_device_id = ?, all_created = ?, sent = sent + ?,
                       created_upto = ?
                where rollout_id = ? and wave = ? and tenant_id = ?""")) {
            cursor.setLong(1, lastActionId);
            cursor.setString(2, lastDeviceId);
            cursor.setBoolean(3, allCreated);
            cursor.setInt(4, sent);
            cursor.setObject(5, createdUpto, java.sql.Types.BIGINT);
            cursor.setString(6, wave.rolloutId);
            cursor.setInt(7, wave.wave);
            cursor.setString(8, wave.tenant);
            cursor.executeUpdate();
        }
    }

    /** @param tenant the rollout's tenant: its statements name it, its commands carry it */
    public record Wave(String tenant, String rolloutId, int wave, long lastActionId, ActionType actionType, String releaseId,
            String releaseName, String version, List<ArtifactRef> artifacts, Instant expiresAt,
            MaintenanceWindow maintenanceWindow, String lastDeviceId, boolean allCreated, long sent, RolloutRate rate,
            RateBudget budget, Long createdUpto, boolean confirmationRequired, Instant confirmBy) {
    }
}
