package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutGroupStarted;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.mapping.DeviceCommands;
import io.updraft.rollout.repository.ActionRepository;
import io.updraft.rollout.repository.CatalogRelease;
import io.updraft.rollout.repository.DeviceAction;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/** Starts one wave: its actions, RolloutGroupStarted and one InstallRequested per device, in the caller's transaction. */
@ApplicationScoped
public class WaveLauncher {
    @Inject
    ActionRepository actions;
    @Inject
    WaveRepository waves;
    @Inject
    Outbox outbox;

    /** @return true if the wave started; false if it had no device in an ACTIVE cohort and was SKIPPED */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean start(Rollout rollout, int wave, CatalogRelease release) {
        List<DeviceAction> scheduled = actions.scheduleWave(rollout.id, wave, release.releaseId(), release.version());
        if (scheduled.isEmpty()) {
            waves.setState(rollout.id, wave, WaveState.SKIPPED);
            return false;
        }
        waves.setState(rollout.id, wave, WaveState.RUNNING);
        rollout.currentWave = wave;
        List<UpdraftEvent> events = new ArrayList<>(scheduled.size() + 1);
        events.add(new RolloutGroupStarted(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id,
                wave, scheduled.size()));
        scheduled.forEach(action -> events.add(DeviceCommands.install(action, release, rollout)));
        outbox.appendAll(events);
        return true;
    }
}
