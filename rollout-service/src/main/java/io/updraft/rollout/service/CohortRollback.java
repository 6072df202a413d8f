package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutRolledBack;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.AssignmentRepository.AcceptedHardware;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stops one hardware cohort of a rollout and sends its devices back: open installs are canceled, devices that
 * installed the release get a rollback install of the rollout's named rollback release if it has one, else of the
 * release they ran before. Later waves skip the cohort; the other cohorts continue. During a wave's soak this is the
 * RollbackTriggered half of the health gate ({@link HealthGate}).
 */
@ApplicationScoped
public class CohortRollback {
    public enum Outcome {
        ROLLED_BACK, ALREADY_ROLLED_BACK, UNKNOWN_ROLLOUT, UNKNOWN_COHORT
    }

    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    ActionRepository actions;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    WaveProgression progression;
    @Inject
    Outbox outbox;

    @Transactional(Transactional.TxType.REQUIRED)
    public Outcome rollBack(String rolloutId, String cohort, String reason) {
        Rollout rollout = rollouts.lock(rolloutId).orElse(null);
        if (rollout == null) {
            return Outcome.UNKNOWN_ROLLOUT;
        }
        String why = reason == null || reason.isBlank() ? "rolled back" : reason;
        if (!waves.rollBack(rolloutId, cohort, why)) {
            boolean known = waves.cohorts(rolloutId).stream().anyMatch(row -> row.cohort().equals(cohort));
            return known ? Outcome.ALREADY_ROLLED_BACK : Outcome.UNKNOWN_COHORT;
        }
        List<UpdraftEvent> events = new ArrayList<>();
        actions.cancelOpenInstalls(rolloutId, cohort)
                .forEach(action -> events.add(DeviceCommands.cancel(action, "cohort " + cohort + " rolled back: " + why)));
        List<DeviceAction> rollbacks = actions.scheduleRollbacks(rolloutId, cohort);
        Map<String, CatalogRelease> previous = new HashMap<>();
        for (DeviceAction action : rollbacks) {
            CatalogRelease release = previous.computeIfAbsent(action.releaseId(), id -> catalog.find(id).orElseThrow());
            events.add(DeviceCommands.install(action, release, rollout));
        }
        events.add(new RolloutRolledBack(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId,
                cohort, rollbacks.size(), why));
        outbox.appendAll(events);
        // the wave may have been waiting only for this cohort
        progression.reassess(rollout);
        return Outcome.ROLLED_BACK;
    }

    /**
     * A rollout's named rollback release must be in the catalog, not revoked, not the release rolled out, and accept
     * every hardware (model, revision) of the target set — a device must never be sent back to an image that does
     * not fit it. Otherwise 422, before anything is stored.
     */
    public void checkRollbackRelease(String releaseId, CatalogRelease rolledOut, List<AcceptedHardware> targetHardware) {
        if (releaseId == null || releaseId.isBlank()) {
            return;
        }
        CatalogRelease named = catalog.find(releaseId).orElseThrow(
                () -> ProblemException.unprocessable("rollbackRelease " + releaseId + " is unknown"));
        if (named.revoked()) {
            throw ProblemException.unprocessable("rollbackRelease " + releaseId + " is revoked");
        }
        if (named.releaseId().equals(rolledOut.releaseId())) {
            throw ProblemException.unprocessable("rollbackRelease must differ from the release rolled out ("
                    + releaseId + ")");
        }
        for (AcceptedHardware hardware : targetHardware) {
            if (!named.accepts(hardware.model(), hardware.revision())) {
                throw ProblemException.unprocessable("rollbackRelease " + releaseId + " (" + named.name() + " "
                        + named.version() + ") does not accept hardware " + hardware.cohort()
                        + " of the target set");
            }
        }
    }

    /**
     * A device whose install was canceled because its cohort was rolled back, but which installed the release anyway
     * (it rejected the cancel, or finished before it saw it), runs the bad release: send it back like the others.
     * Nothing happens if the cohort is not rolled back; devices already sent back are not sent again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendBackIfRolledBack(Rollout rollout, String cohort) {
        boolean rolledBack = waves.cohorts(rollout.id).stream()
                .anyMatch(row -> row.cohort().equals(cohort) && row.state() == CohortState.ROLLED_BACK);
        if (!rolledBack) {
            return;
        }
        List<UpdraftEvent> events = new ArrayList<>();
        for (DeviceAction back : actions.scheduleRollbacks(rollout.id, cohort)) {
            events.add(DeviceCommands.install(back, catalog.find(back.releaseId()).orElseThrow(), rollout));
        }
        outbox.appendAll(events);
    }
}
