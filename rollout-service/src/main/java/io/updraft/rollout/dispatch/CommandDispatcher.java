package io.updraft.rollout.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventJson;
import io.updraft.events.MaintenanceWindow;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.RateBudget;
import io.updraft.rollout.domain.RolloutRate;
import io.updraft.rollout.mapping.JsonColumns;
import io.updraft.support.kafka.EventProducer;
import io.updraft.support.kafka.EventRecords;
import io.updraft.support.lifecycle.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Creates and sends the installs of started waves. Starting a wave writes one {@code command_dispatch} row in the
 * decision's transaction, not a million actions: the dispatcher then walks the wave's devices in id order and, per
 * transaction, sends the chunk of actions it created in the previous one while it creates the next chunk (so the
 * database inserts and the broker's acknowledgements overlap), waits for every acknowledgement, and moves both cursors
 * of the dispatch row in the same commit.
 *
 * <p>The dispatch row is held {@code FOR UPDATE SKIP LOCKED}, so replicas share waves and never work on the same
 * chunk at once. An action is created (committed, {@code SCHEDULED}) before it is sent, as every decision is; a crash
 * re-sends at most one chunk with the same event ids (derived from the action id), which the gateway's inbox drops,
 * and re-creating a chunk is a no-op ({@code on conflict do nothing}). Only devices of cohorts still ACTIVE get an
 * action. Cancelling open installs locks the dispatch row first ({@code ActionRepository#cancelOpenInstalls}), so a
 * {@code CancelRequested} is always relayed after the {@code InstallRequested} it cancels, the actions it cancels are
 * never sent afterwards, and an abort ends the wave's dispatch (devices not reached yet get nothing).
 */
@ApplicationScoped
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    @Inject
    DataSource dataSource;
    @Inject
    EventProducer producer;
    @Inject
    DispatchConfig config;
    @Inject
    MeterRegistry meters;

    private WorkLoop loop;
    private Counter sent;

    void start(@Observes StartupEvent startup) {
        sent = meters.counter("updraft.rollout.commands.dispatched");
        producer.source(); // the Kafka producer is built on the startup thread (see OutboxRelay)
        loop = new WorkLoop("command-dispatch", config.idlePoll(), LOG, () -> dispatchOneChunk() > 0);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Called after a wave's transaction committed. */
    public void wakeUp() {
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /**
     * Sends the next chunk of one waiting wave.
     *
     * @return commands sent plus one if a dispatch row was worked on, 0 when no wave waits (or all are held by
     *         other replicas)
     */
    int dispatchOneChunk() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int result = dispatchOneChunk(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private int dispatchOneChunk(Connection connection) throws Exception {
        Wave wave = nextWave(connection);
        if (wave == null) {
            return 0;
        }
        Instant now = Instant.now();
        int limit = config.chunkSize();
        RateBudget budget = null;
        if (wave.rate != null) {
            budget = (wave.budget == null ? RateBudget.start(wave.rate, now) : wave.budget)
                    .refill(wave.rate, now, wave.sent, wave.rate.countsSucceeded() ? succeeded(connection, wave) : 0);
            limit = Math.min(limit, budget.allowed());
            if (limit == 0) {
                saveBudget(connection, wave, budget, now.plus(budget.untilNextToken()));
                return 1; // other waves may be due meanwhile
            }
        }
        // send what the previous transaction created (none on a wave's first turn) …
        long lastActionId = wave.lastActionId;
        int count = 0;
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select action_id, device_id, cohort from device_action
                where rollout_id = ? and wave = ? and not rollback and action_id > ? and state = 'SCHEDULED'
                order by action_id limit ?""")) {
            select.setFetchSize(2_000);
            select.setString(1, wave.rolloutId);
            select.setInt(2, wave.wave);
            select.setLong(3, wave.lastActionId);
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long actionId = rows.getLong(1);
                    InstallRequested command = new InstallRequested(eventId(actionId), now, UpdraftEvent.SCHEMA_VERSION,
                            rows.getString(2), actionId, wave.rolloutId, wave.wave, rows.getString(3),
                            wave.releaseId, wave.releaseName, wave.version, wave.artifacts, wave.actionType, null,
                            false, wave.expiresAt, wave.maintenanceWindow);
                    acks.add(producer.send(EventRecords.toRecord(producer.source(), command, EventJson.write(command))));
                    lastActionId = actionId;
                    count++;
                }
            }
        }
        // … create the next chunk while the broker acknowledges …
        Created created = wave.allCreated ? null : createNextChunk(connection, wave, limit);
        // … and move the cursors only once every command sent is acknowledged
        for (Future<RecordMetadata> ack : acks) {
            ack.get(70, TimeUnit.SECONDS);
        }
        boolean allCreated = wave.allCreated || created.scanned < limit;
        if (allCreated && count == 0 && (created == null || created.actions == 0)) {
            try (PreparedStatement done = connection.prepareStatement(
                    "delete from command_dispatch where rollout_id = ? and wave = ?")) {
                done.setString(1, wave.rolloutId);
                done.setInt(2, wave.wave);
                done.executeUpdate();
            }
        } else {
            try (PreparedStatement cursor = connection.prepareStatement("""
                    update command_dispatch set last_action_id = ?, last_device_id = ?, all_created = ?, sent = sent + ?
                    where rollout_id = ? and wave = ?""")) {
                cursor.setLong(1, lastActionId);
                cursor.setString(2, created == null || created.lastDeviceId == null ? wave.lastDeviceId
                        : created.lastDeviceId);
                cursor.setBoolean(3, allCreated);
                cursor.setInt(4, count);
                cursor.setString(5, wave.rolloutId);
                cursor.setInt(6, wave.wave);
                cursor.executeUpdate();
            }
            if (budget != null) {
                saveBudget(connection, wave, budget.spend(count), null);
            }
        }
        sent.increment(count);
        return count + 1;
    }

    /**
     * Creates the install actions of the wave's next {@code chunkSize} devices after the creation cursor (devices in
     * id order; those of cohorts no longer ACTIVE, or that already have an install, get none). Action ids ascend in
     * device order, which is the order the sending cursor walks.
     */
    private Created createNextChunk(Connection connection, Wave wave, int limit) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                with next as (
                    select rd.device_id, rd.cohort from rollout_device rd
                    where rd.rollout_id = ? and rd.wave = ? and rd.device_id > ?
                    order by rd.device_id limit ?),
                created as (
                    insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                               rollback, state, created_at, updated_at)
                    select nextval('action_id_seq'), s.rollout_id, s.device_id, s.wave, s.cohort, s.release_id,
                           s.version, false, 'SCHEDULED', now(), now()
                    from (select ? as rollout_id, n.device_id, ? as wave, n.cohort, ? as release_id, ? as version
                          from next n
                          join rollout_cohort c on c.rollout_id = ? and c.cohort = n.cohort and c.state = 'ACTIVE'
                          order by n.device_id) s
                    on conflict do nothing
                    returning 1)
                select (select count(*) from next), (select max(device_id) from next), (select count(*) from created)
                """)) {
            int i = 1;
            insert.setString(i++, wave.rolloutId);
            insert.setInt(i++, wave.wave);
            insert.setString(i++, wave.lastDeviceId == null ? "" : wave.lastDeviceId);
            insert.setInt(i++, limit);
            insert.setString(i++, wave.rolloutId);
            insert.setInt(i++, wave.wave);
            insert.setString(i++, wave.releaseId);
            insert.setString(i++, wave.version);
            insert.setString(i, wave.rolloutId);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Created(row.getInt(1), row.getString(2), row.getInt(3));
            }
        }
    }

    private record Created(int scanned, String lastDeviceId, int actions) {
    }

    /** Installs of the wave that succeeded so far (the ramp's numberOfSucceededThings). */
    private static long succeeded(Connection connection, Wave wave) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select coalesce(sum(succeeded), 0) from wave_cohort where rollout_id = ? and wave = ?")) {
            select.setString(1, wave.rolloutId);
            select.setInt(2, wave.wave);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void saveBudget(Connection connection, Wave wave, RateBudget budget, Instant notBefore)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update command_dispatch set rate_per_minute = ?, rate_next_step = ?, rate_tokens = ?, rate_at = ?,
                       not_before = ?
                where rollout_id = ? and wave = ?""")) {
            update.setDouble(1, budget.ratePerMinute());
            update.setLong(2, budget.nextStep());
            update.setDouble(3, budget.tokens());
            update.setTimestamp(4, java.sql.Timestamp.from(budget.at()));
            update.setTimestamp(5, notBefore == null ? null : java.sql.Timestamp.from(notBefore));
            update.setString(6, wave.rolloutId);
            update.setInt(7, wave.wave);
            update.executeUpdate();
        }
    }

    /** The oldest wave still sending that no other replica is working on, locked for this transaction. */
    private static Wave nextWave(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select d.rollout_id, d.wave, d.last_action_id, r.action_type, c.release_id, c.name, c.version,
                       c.artifacts::text, d.created_at, r.action_deadline_ms, r.window_cron, r.window_duration,
                       r.window_zone, d.last_device_id, d.all_created, d.sent, r.rate_max_per_minute,
                       r.rate_base_per_minute, r.rate_factor, r.rate_step, r.rate_counts_succeeded,
                       d.rate_per_minute, d.rate_next_step, d.rate_tokens, d.rate_at
                from command_dispatch d
                join rollout r on r.id = d.rollout_id
                join release c on c.release_id = r.release_id
                where d.not_before is null or d.not_before <= now()
                order by d.created_at, d.rollout_id, d.wave
                limit 1
                for update of d skip locked""");
                ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
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
            return new Wave(row.getString(1), row.getInt(2), row.getLong(3), ActionType.valueOf(row.getString(4)),
                    row.getString(5), row.getString(6), row.getString(7), JsonColumns.artifacts(row.getString(8)),
                    expiresAt, window, row.getString(14), row.getBoolean(15), row.getLong(16), rate, budget);
        }
    }

    /** The same action always gets the same event id, so a chunk re-sent after a crash is dropped by the inbox. */
    public static String eventId(long actionId) {
        return UUID.nameUUIDFromBytes(("InstallRequested:" + actionId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private record Wave(String rolloutId, int wave, long lastActionId, ActionType actionType, String releaseId,
            String releaseName, String version, List<ArtifactRef> artifacts, Instant expiresAt,
            MaintenanceWindow maintenanceWindow, String lastDeviceId, boolean allCreated, long sent, RolloutRate rate,
            RateBudget budget) {
    }
}
