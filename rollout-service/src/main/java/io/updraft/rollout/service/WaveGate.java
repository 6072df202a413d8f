package io.updraft.rollout.service;

import io.quarkus.scheduler.Scheduled;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.RolloutRepository.TenantRollout;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Starts scheduled rollouts at their start time, judges waves whose timeout passed on what finished, and opens the
 * next wave once the current one has soaked. Each rollout is advanced in its own transaction under
 * {@code FOR UPDATE SKIP LOCKED}, so N replicas share the work and a crash mid-way just leaves it for the next tick.
 * The tick finds due rollouts of every tenant and decides about each as its tenant ({@link Tenants#runAs}): its
 * statements, events and commands are that tenant's (ADR 0021).
 */
@ApplicationScoped
public class WaveGate {
    private static final Logger LOG = Logger.getLogger(WaveGate.class);
    private static final int BATCH = 50;

    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveProgression progression;
    @Inject
    WaveGate self;
    @Inject
    RolloutsInFlight inFlight;

    @Scheduled(every = "${updraft.rollout.wave-gate-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (TenantRollout due : self.due()) {
            try {
                Tenants.runAs(due.tenant(), () -> self.startIfDue(due.rolloutId()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not start scheduled rollout %s; retrying on the next tick", due.rolloutId());
            }
        }
        for (TenantRollout late : self.timedOut()) {
            try {
                Tenants.runAs(late.tenant(), () -> self.judgeIfTimedOut(late.rolloutId()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not judge the timed-out wave of rollout %s; retrying on the next tick",
                        late.rolloutId());
            }
        }
        for (TenantRollout soaked : self.soaked()) {
            try {
                Tenants.runAs(soaked.tenant(), () -> self.advanceIfSoaked(soaked.rolloutId()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not advance rollout %s; retrying on the next tick", soaked.rolloutId());
            }
        }
    }

    @Transactional
    public List<TenantRollout> soaked() {
        return rollouts.soaked(BATCH);
    }

    @Transactional
    public List<TenantRollout> due() {
        return rollouts.due(BATCH);
    }

    /**
     * Starts the rollout if it is due and its tenant has room under {@code maxRolloutsInFlight}; without room it stays
     * SCHEDULED and is asked again on the next tick, so it starts once another rollout of its tenant ended (or the
     * quota was raised).
     */
    @Transactional
    public void startIfDue(String rolloutId) {
        rollouts.lockIfDue(rolloutId).ifPresent(rollout -> {
            if (inFlight.hasRoom()) {
                progression.start(rollout);
            } else {
                LOG.debugf("scheduled rollout %s waits: its tenant has its maxRolloutsInFlight", rolloutId);
            }
        });
    }

    @Transactional
    public List<TenantRollout> timedOut() {
        return rollouts.timedOut(BATCH);
    }

    @Transactional
    public void judgeIfTimedOut(String rolloutId) {
        rollouts.lockIfTimedOut(rolloutId).ifPresent(progression::timeOut);
    }

    @Transactional
    public void advanceIfSoaked(String rolloutId) {
        rollouts.lockIfSoaked(rolloutId).ifPresent(progression::advance);
    }
}
