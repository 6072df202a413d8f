package io.updraft.rollout.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.config.DispatchConfig;
import io.updraft.rollout.domain.CommandBucket;
import io.updraft.rollout.domain.RateBudget;
import io.updraft.rollout.persistence.DispatchRepository;
import io.updraft.rollout.persistence.DispatchTurn;
import io.updraft.rollout.persistence.DispatchTurn.Created;
import io.updraft.rollout.persistence.DispatchTurn.Install;
import io.updraft.rollout.persistence.DispatchTurn.Wave;
import io.updraft.rollout.service.DeviceCommands;
import io.updraft.rollout.service.FanoutStages;
import io.updraft.rollout.service.FanoutStages.Stage;
import io.updraft.rollout.service.WavesToDispatch;
import io.updraft.support.kafka.EventProducer;
import io.updraft.support.lifecycle.WorkLoop;
import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

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
 * never sent afterwards, and an abort ends the wave's dispatch (devices not reached yet get nothing). The statements
 * of a turn are {@link DispatchTurn}'s; where a turn's time goes is timed per stage ({@link FanoutStages}, once per
 * turn). Each wave is its rollout's tenant's: the turn reads the tenant once with the wave row, names it in its
 * statements and puts it on every command of the chunk (ADR 0021). A tenant with a {@code maxCommandsPerSecond} quota
 * sends at most that many a second over all its waves ({@link CommandBucket}, kept in its {@code tenant_command_budget}
 * row, locked for the turn): a turn sends no more than the bucket holds, and a wave whose tenant's bucket is empty
 * waits ({@code not_before}) without holding up other tenants' waves.
 */
@ApplicationScoped
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    @Inject
    DispatchRepository dispatch;
    @Inject
    EventProducer producer;
    @Inject
    DispatchConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    FanoutStages stages;
    @Inject
    TenantQuotaBook quotas;

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

    /** Fired after a transaction that started a wave committed. */
    void wakeUp(@Observes WavesToDispatch committed) {
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
        TurnClock clock = new TurnClock(System.nanoTime());
        int result = dispatch.inTransaction(turn -> dispatchOneChunk(turn, clock));
        if (clock.workEnded != 0) { // a wave was worked on: one record per stage (idle polls are not a fan-out's)
            clock.nanos[Stage.COMMIT.ordinal()] = System.nanoTime() - clock.workEnded;
            for (Stage stage : Stage.values()) {
                stages.record(stage, clock.nanos[stage.ordinal()]);
            }
        }
        return result;
    }

    /**
     * Where one turn's time went, recorded once the turn committed (a turn that failed records nothing). The creator
     * thread records its own stage.
     */
    private static final class TurnClock {
        final long[] nanos = new long[Stage.values().length];
        /** The end of the last lap (nanoTime). */
        long mark;
        /** When the turn's work returned (0 while no wave was locked). */
        long workEnded;

        TurnClock(long started) {
            this.mark = started;
        }

        /** Adds the time since the last lap to {@code stage}. */
        void lap(Stage stage) {
            long now = System.nanoTime();
            nanos[stage.ordinal()] += now - mark;
            mark = now;
        }
    }

    private int dispatchOneChunk(DispatchTurn turn, TurnClock clock) throws Exception {
        int result = dispatchOneChunkTimed(turn, clock);
        if (result > 0) {
            clock.lap(Stage.MOVE_CURSORS);
            clock.workEnded = clock.mark;
        }
        return result;
    }

    private int dispatchOneChunkTimed(DispatchTurn turn, TurnClock clock) throws Exception {
        turn.customPlans();
        Wave wave = turn.nextWave();
        if (wave == null) {
            return 0;
        }
        Instant now = Instant.now();
        int limit = config.chunkSize();
        RateBudget budget = null;
        if (wave.rate() != null) {
            budget = (wave.budget() == null ? RateBudget.start(wave.rate(), now) : wave.budget())
                    .refill(wave.rate(), now, wave.sent(), wave.rate().countsSucceeded() ? turn.succeeded(wave) : 0);
            limit = Math.min(limit, budget.allowed());
            if (limit == 0) {
                clock.lap(Stage.TURN_START);
                turn.saveBudget(wave, budget, now.plus(budget.untilNextToken()));
                return 1; // other waves may be due meanwhile
            }
        }
        // the tenant's maxCommandsPerSecond (ADR 0021): its waves share one bucket, held here until the turn ends
        Integer perSecond = quotas.quotas(wave.tenant()).maxCommandsPerSecond();
        CommandBucket tenantBudget = null;
        if (perSecond != null) {
            tenantBudget = turn.tenantBudget(wave.tenant(), perSecond, now).refill(perSecond, now);
            limit = Math.min(limit, tenantBudget.allowed());
            if (limit == 0) {
                clock.lap(Stage.TURN_START);
                turn.holdWave(wave, now.plus(tenantBudget.untilNextToken(perSecond)));
                return 1; // other tenants' waves go on meanwhile
            }
        }
        clock.lap(Stage.TURN_START);
        // the installs the previous transaction created (none on a wave's first turn) …
        List<Install> installs = turn.createdInstalls(wave, limit);
        clock.lap(Stage.CREATED_INSTALLS);
        // … the next chunk is created on this transaction's connection by the creator thread (PostgreSQL works) while
        // this thread serialises and sends (the service and the broker work) …
        int chunk = limit;
        Future<Created> creating = wave.allCreated() ? null : creator.submit(() -> {
            long creatorStarted = System.nanoTime();
            Created result = turn.createNextChunk(wave, chunk);
            stages.record(Stage.CREATE_NEXT_CHUNK, System.nanoTime() - creatorStarted);
            return result;
        });
        List<Future<RecordMetadata>> acks = new ArrayList<>(installs.size());
        // serialising and sending, split by two clock reads per command summed over the turn (~50 ns of a command's
        // several µs): the loop's time less the serialising is the sending
        long serialising = 0;
        try {
            // the JSON and headers every command of this turn shares, written once (WaveInstallRecords)
            WaveInstallRecords records = installs.isEmpty() ? null : WaveInstallRecords.of(wave.tenant(),
                    producer.source(), new InstallRequested(null, now, UpdraftEvent.SCHEMA_VERSION, null, 0,
                            wave.rolloutId(), wave.wave(), null, wave.releaseId(), wave.releaseName(), wave.version(),
                            wave.artifacts(), wave.actionType(), null, false, wave.expiresAt(),
                            wave.maintenanceWindow(), wave.confirmationRequired(), wave.confirmBy()));
            for (Install install : installs) {
                long built = System.nanoTime();
                // the rollout's tenant (ADR 0021): its JSON field, ce_tenant, TENANT/deviceId (DEFAULT: as before)
                ProducerRecord<String, String> producerRecord = records.record(
                        DeviceCommands.installEventId(install.actionId()), install.deviceId(), install.actionId(),
                        install.cohort());
                serialising += System.nanoTime() - built;
                acks.add(producer.send(producerRecord));
            }
        } catch (RuntimeException | Error e) {
            if (creating != null) {
                awaitCreation(creating); // the statement must end before the caller rolls the transaction back
            }
            throw e;
        }
        clock.lap(Stage.SEND);
        clock.nanos[Stage.SEND.ordinal()] -= serialising;
        clock.nanos[Stage.SERIALISE.ordinal()] += serialising;
        Created created = creating == null ? null : awaitCreation(creating);
        clock.lap(Stage.AWAIT_CREATOR);
        int count = installs.size();
        long lastActionId = count == 0 ? wave.lastActionId() : installs.get(count - 1).actionId();
        // … and move the cursors only once every command sent is acknowledged
        for (Future<RecordMetadata> ack : acks) {
            ack.get(70, TimeUnit.SECONDS);
        }
        clock.lap(Stage.AWAIT_ACKS);
        boolean allCreated = wave.allCreated() || created.scanned() < limit;
        if (allCreated && count == 0 && (created == null || created.actions() == 0)) {
            turn.finish(wave);
        } else {
            turn.moveCursors(wave, lastActionId, created == null || created.lastDeviceId() == null
                    ? wave.lastDeviceId() : created.lastDeviceId(), allCreated, count, createdUpto(wave, created));
            if (budget != null) {
                turn.saveBudget(wave, budget.spend(count), null);
            }
        }
        if (tenantBudget != null) {
            turn.saveTenantBudget(wave.tenant(), tenantBudget.spend(count));
        }
        sent.increment(count);
        return count + 1;
    }

    /**
     * The highest action id the dispatcher created for the wave after this turn; null stays null (a dispatch row
     * written before V54, or one put back at its start: the sending cursor then reads unbounded).
     */
    private static Long createdUpto(Wave wave, Created created) {
        if (created == null || created.maxActionId() == null) {
            return wave.createdUpto();
        }
        if (wave.createdUpto() == null) {
            return created.maxActionId();
        }
        return Math.max(wave.createdUpto(), created.maxActionId());
    }

    /** The creator's result; waits through interrupts, since the connection may not be used until it ends. */
    private static Created awaitCreation(Future<Created> creating) throws java.sql.SQLException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return creating.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof java.sql.SQLException sql) {
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
}
