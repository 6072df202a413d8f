package io.updraft.rollout.service;

import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.TenantQuotaBook;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The current tenant's {@code maxRolloutsInFlight} quota (ADR 0021 decision 5), from the tenant registry
 * ({@link TenantQuotaBook}). In flight: started and not ended (RUNNING, WAITING_FOR_APPROVAL, PAUSED —
 * {@code RolloutState.isInFlight}). The one transition that puts a rollout in flight is its start: a creation without a
 * future {@code startAt}, or the wave gate starting a scheduled one; approve and resume move a rollout that is in
 * flight already. The decision is taken in that transition's transaction under the tenant's in-flight lock, and the
 * count read after it includes every start committed before, so concurrent starts beyond the quota cannot all pass.
 * A tenant without the quota takes no lock.
 */
@ApplicationScoped
public class RolloutsInFlight {
    @Inject
    TenantQuotaBook book;
    @Inject
    RolloutRepository rollouts;
    @Inject
    Tenants tenants;

    /** Refuses (409, nothing changed) a start that would take the tenant over its quota; else holds the lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void admit(String consequence) {
        refusal(consequence).ifPresent(detail -> {
            throw ProblemException.conflict(detail);
        });
    }

    /** @return whether one more rollout may start now (the lock is held until the transaction ends either way) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hasRoom() {
        return refusal("").isEmpty();
    }

    private Optional<String> refusal(String consequence) {
        Integer limit = book.quotas(tenants.current()).maxRolloutsInFlight();
        if (limit == null) {
            return Optional.empty();
        }
        rollouts.lockInFlight();
        long inFlight = rollouts.countInFlight();
        if (inFlight < limit) {
            return Optional.empty();
        }
        return Optional.of("tenant " + tenants.current() + " may have " + limit + " rollouts in flight"
                + " (maxRolloutsInFlight) and has " + inFlight + " (running, waiting for approval or paused)"
                + consequence);
    }
}
