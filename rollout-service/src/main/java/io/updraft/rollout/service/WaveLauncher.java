package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutGroupStarted;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Starts one wave in the caller's transaction: RolloutGroupStarted (outbox) and the wave's dispatch row, from which
 * the command dispatcher (woken by {@link WavesToDispatch}) creates each device's install action and sends its
 * InstallRequested after the commit — starting a wave of a million devices writes two rows.
 */
@ApplicationScoped
public class WaveLauncher {
    @Inject
    ActionRepository actions;
    @Inject
    WaveRepository waves;
    @Inject
    Outbox outbox;
    @Inject
    Event<WavesToDispatch> dispatcher;
    @Inject
    TransactionSynchronizationRegistry transactions;

    /** @return true if the wave started; false if it had no device in an ACTIVE cohort and was SKIPPED */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean start(Rollout rollout, int wave, CatalogRelease release) {
        // devices of the wave in cohorts still ACTIVE, from the wave x cohort counters
        int scheduled = (int) waves.activeDevices(rollout.id, wave);
        if (scheduled == 0) {
            waves.setState(rollout.id, wave, WaveState.SKIPPED);
            return false;
        }
        waves.setState(rollout.id, wave, WaveState.RUNNING);
        waves.startTimer(rollout.id, wave, java.time.Instant.now().plus(rollout.waveTimeout()));
        rollout.currentWave = wave;
        outbox.append(new RolloutGroupStarted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                rollout.id, wave, scheduled));
        actions.dispatchWave(rollout.id, wave);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    dispatcher.fire(WavesToDispatch.COMMITTED);
                }
            }
        });
        return true;
    }
}
