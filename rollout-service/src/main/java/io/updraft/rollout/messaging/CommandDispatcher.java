package io.updraft.rollout.messaging;

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
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.support.kafka.EventProducer;
import io.updraft.support.kafka.EventRecords;
import io.updraft.support.lifecycle.WorkLoop;
import jakarta.annotation.PostConstruct;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import io.updraft.rollout.config.DispatchConfig;

/**
 * Creates and sends the installs of started waves. Starting a wave writes one {@code command_dispatch} row in the
 * decision's transaction, not a million actions: the dispatcher then walks the wave's devices in id order and, per
 * transaction, sends the chunk of actions it created in the previous one while a second thread creates the next chunk
 * on the same connection (so PostgreSQL's inserts overlap the serialising, sending and acknowledging), waits for every
 * acknowledgement, and moves both cursors of the dispatch row in the same commit.
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
    /** Runs a transaction's chunk insert while the dispatcher thread sends the previous chunk. */
    private ExecutorService creator;

    @PostConstruct
    void createCreator() {
        creator = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "command-dispatch-create");
            thread.setDaemon(true);
            return thread;
        });
    }

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
        creator.shutdown();
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
        customPlans(connection);
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
        // the installs the previous transaction created (none on a wave's first turn) …
        List<Install> installs = createdInstalls(connection, wave, limit);
        // … the next chunk is created on this transaction's connection by the creator thread (PostgreSQL works) while
        // this thread serialises and sends (the service and the broker work) …
        int chunk = limit;
        Future<Created> creating = wave.allCreated ? null : creator.submit(() -> createNextChunk(connection, wave, chunk));
        List<Future<RecordMetadata>> acks = new ArrayList<>(installs.size());
        try {
            for (Install install : installs) {
                InstallRequested command = new InstallRequested(eventId(install.actionId), now,
                        UpdraftEvent.SCHEMA_VERSION, install.deviceId, install.actionId, wave.rolloutId, wave.wave,
                        install.cohort, wave.releaseId, wave.releaseName, wave.version, wave.artifacts,
                        wave.actionType, null, false, wave.expiresAt, wave.maintenanceWindow);
                acks.add(producer.send(EventRecords.toRecord(producer.source(), command, EventJson.write(command))));
            }
        } catch (RuntimeException | Error e) {
            if (creating != null) {
                awaitCreation(creating); // the statement must end before the caller rolls the transaction back
            }
            throw e;
        }
        Created created = creating == null ? null : awaitCreation(creating);
        int count = installs.size();
        long lastActionId = count == 0 ? wave.lastActionId : installs.get(count - 1).actionId;
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
                    update command_dispatch set last_action_id = ?, last_device_id = ?, all_created = ?, sent = sent + ?,
                           created_upto = ?
                    where rollout_id = ? and wave = ?""")) {
                cursor.setLong(1, lastActionId);
                cursor.setString(2, created == null || created.lastDeviceId == null ? wave.lastDeviceId
                        : created.lastDeviceId);
                cursor.setBoolean(3, allCreated);
                cursor.setInt(4, count);
                cursor.setObject(5, createdUpto(wave, created), java.sql.Types.BIGINT);
                cursor.setString(6, wave.rolloutId);
                cursor.setInt(7, wave.wave);
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
     * The wave's installs created and not sent yet, in action id order: a range of the primary key, from the sending
     * cursor up to the highest action id the dispatcher created (unbounded for a dispatch row written before V54), so
     * no index per wave is kept up to date for a million inserts. Read whole before the next statement runs.
     */
    private static List<Install> createdInstalls(Connection connection, Wave wave, int limit) throws SQLException {
        List<Install> installs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select action_id, device_id, cohort from device_action
                where action_id > ? and action_id <= ? and rollout_id = ? and wave = ? and not rollback
                      and state = 'SCHEDULED'
                order by action_id limit ?""")) {
            select.setFetchSize(5_000);
            select.setLong(1, wave.lastActionId);
            select.setLong(2, wave.createdUpto == null ? Long.MAX_VALUE : wave.createdUpto);
            select.setString(3, wave.rolloutId);
            select.setInt(4, wave.wave);
            select.setInt(5, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    installs.add(new Install(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
        }
        return installs;
    }

    private record Install(long actionId, String deviceId, String cohort) {
    }

    /**
     * The highest action id the dispatcher created for the wave after this turn; null stays null (a dispatch row
     * written before V54, or one put back at its start: the sending cursor then reads unbounded).
     */
    private static Long createdUpto(Wave wave, Created created) {
        if (created == null || created.maxActionId == null) {
            return wave.createdUpto;
        }
        if (wave.createdUpto == null) {
            return created.maxActionId;
        }
        return Math.max(wave.createdUpto, created.maxActionId);
    }

    /** The creator's result; waits through interrupts, since the connection may not be used until it ends. */
    private static Created awaitCreation(Future<Created> creating) throws SQLException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return creating.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException sql) {
                        throw sql;
                    }
                    throw new IllegalStateException("creating a chunk of actions failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
    private Created createNextChunk(Connection connection, Wave wave, int limit) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                with next as (
                    select rd.device_id, rd.cohort from rollout_device rd
                    where rd.rollout_id = ? and rd.wave = ? and rd.device_id > ?
                    order by rd.device_id limit ?),
                existing as materialized (
                    select a.device_id from device_action a
                    where a.rollout_id = ? and not a.rollback and a.device_id > ?
                          and a.device_id <= (select max(device_id) from next)),
                created as (
                    insert into device_action (action_id, rollout_id, device_id, wave, cohort, release_id, version,
                                               rollback, state, created_at, updated_at)
                    select nextval('action_id_seq'), s.rollout_id, s.device_id, s.wave, s.cohort, s.release_id,
                           s.version, false, 'SCHEDULED', now(), now()
                    from (select ? as rollout_id, n.device_id, ? as wave, n.cohort, ? as release_id, ? as version
                          from next n
                          join rollout_cohort c on c.rollout_id = ? and c.cohort = n.cohort and c.state = 'ACTIVE'
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
            insert.setInt(i++, limit);
            insert.setString(i++, wave.rolloutId);
            insert.setString(i++, after);
            insert.setString(i++, wave.rolloutId);
            insert.setInt(i++, wave.wave);
            insert.setString(i++, wave.releaseId);
            insert.setString(i++, wave.version);
            insert.setString(i, wave.rolloutId);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                long maxActionId = row.getLong(4);
                Long maxActionIdOrNull = row.wasNull() ? null : maxActionId; // no action created
                return new Created(row.getInt(1), row.getString(2), row.getInt(3), maxActionIdOrNull);
            }
        }
    }

    private record Created(int scanned, String lastDeviceId, int actions, Long maxActionId) {
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

    /**
     * Plans this transaction's statements for their actual cursors: a generic plan, made once the prepared statements
     * were reused a few times and cached with the table's statistics of that moment, could scan every action of the
     * rollout for each chunk instead of the range.
     */
    private static void customPlans(Connection connection) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("set local plan_cache_mode = force_custom_plan")) {
            set.execute();
        }
    }

    /** The oldest wave still sending that no other replica is working on, locked for this transaction. */
    private static Wave nextWave(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select d.rollout_id, d.wave, d.last_action_id, r.action_type, c.release_id, c.name, c.version,
                       c.artifacts::text, d.created_at, r.action_deadline_ms, r.window_cron, r.window_duration,
                       r.window_zone, d.last_device_id, d.all_created, d.sent, r.rate_max_per_minute,
                       r.rate_base_per_minute, r.rate_factor, r.rate_step, r.rate_counts_succeeded,
                       d.rate_per_minute, d.rate_next_step, d.rate_tokens, d.rate_at, d.created_upto
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
            long createdUpto = row.getLong(26);
            Long createdUptoOrNull = row.wasNull() ? null : createdUpto;
            return new Wave(row.getString(1), row.getInt(2), row.getLong(3), ActionType.valueOf(row.getString(4)),
                    row.getString(5), row.getString(6), row.getString(7), JsonColumns.artifacts(row.getString(8)),
                    expiresAt, window, row.getString(14), row.getBoolean(15), row.getLong(16), rate, budget,
                    createdUptoOrNull);
        }
    }

    /** The same action always gets the same event id, so a chunk re-sent after a crash is dropped by the inbox. */
    public static String eventId(long actionId) {
        return UUID.nameUUIDFromBytes(("InstallRequested:" + actionId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private record Wave(String rolloutId, int wave, long lastActionId, ActionType actionType, String releaseId,
            String releaseName, String version, List<ArtifactRef> artifacts, Instant expiresAt,
            MaintenanceWindow maintenanceWindow, String lastDeviceId, boolean allCreated, long sent, RolloutRate rate,
            RateBudget budget, Long createdUpto) {
    }
}
