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
 * Sends the {@code InstallRequested} of started waves, streamed from the committed actions instead of one outbox row
 * per device: a wave of a million devices is one insert of its actions plus one {@code command_dispatch} row in the
 * decision's transaction, and the commands then leave at the producer's pace.
 *
 * <p>Each chunk is one transaction that holds the wave's dispatch row ({@code FOR UPDATE SKIP LOCKED}, so replicas
 * share waves and never send the same chunk at once), reads the next actions still {@code SCHEDULED} after the
 * cursor, sends them, waits for every acknowledgement and only then moves the cursor. A crash re-sends at most one
 * chunk with the same event ids (derived from the action id), which the gateway's inbox drops. Cancelling open
 * installs locks the dispatch row first ({@code ActionRepository#cancelOpenInstalls}), so a
 * {@code CancelRequested} is always relayed after the {@code InstallRequested} it cancels, and the actions it
 * cancels are never sent afterwards.
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
            select.setInt(4, config.chunkSize());
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
        for (Future<RecordMetadata> ack : acks) {
            ack.get(70, TimeUnit.SECONDS);
        }
        if (count < config.chunkSize()) {
            try (PreparedStatement done = connection.prepareStatement(
                    "delete from command_dispatch where rollout_id = ? and wave = ?")) {
                done.setString(1, wave.rolloutId);
                done.setInt(2, wave.wave);
                done.executeUpdate();
            }
        } else {
            try (PreparedStatement cursor = connection.prepareStatement(
                    "update command_dispatch set last_action_id = ? where rollout_id = ? and wave = ?")) {
                cursor.setLong(1, lastActionId);
                cursor.setString(2, wave.rolloutId);
                cursor.setInt(3, wave.wave);
                cursor.executeUpdate();
            }
        }
        sent.increment(count);
        return count + 1;
    }

    /** The oldest wave still sending that no other replica is working on, locked for this transaction. */
    private static Wave nextWave(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select d.rollout_id, d.wave, d.last_action_id, r.action_type, c.release_id, c.name, c.version,
                       c.artifacts::text, d.created_at, r.action_deadline_ms, r.window_cron, r.window_duration,
                       r.window_zone
                from command_dispatch d
                join rollout r on r.id = d.rollout_id
                join release c on c.release_id = r.release_id
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
            return new Wave(row.getString(1), row.getInt(2), row.getLong(3), ActionType.valueOf(row.getString(4)),
                    row.getString(5), row.getString(6), row.getString(7), JsonColumns.artifacts(row.getString(8)),
                    expiresAt, window);
        }
    }

    /** The same action always gets the same event id, so a chunk re-sent after a crash is dropped by the inbox. */
    public static String eventId(long actionId) {
        return UUID.nameUUIDFromBytes(("InstallRequested:" + actionId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private record Wave(String rolloutId, int wave, long lastActionId, ActionType actionType, String releaseId,
            String releaseName, String version, List<ArtifactRef> artifacts, Instant expiresAt,
            MaintenanceWindow maintenanceWindow) {
    }
}
