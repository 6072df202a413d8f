package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.release.domain.TenantQuotas;
import io.updraft.release.persistence.StoredBytes;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The artifact-storage quota of the current tenant (ADR 0021 decision 5): a publish or upload that would take the
 * tenant's stored bytes over its {@code maxArtifactBytes} is a 409 and changes nothing. {@link #precheck} refuses it
 * before a byte is stored; {@link #reserve} decides, inside the transaction that records the bytes, under the tenant
 * row's lock, so two concurrent publishes of one tenant cannot both fit into the room for one.
 */
@ApplicationScoped
public class ArtifactQuota {
    @Inject
    StoredBytes storedBytes;
    @Inject
    Tenants tenants;

    /** Before anything is stored, in a short transaction of its own and without a lock: the common refusal. */
    public void precheck(long more, String what) {
        if (more > 0) {
            QuarkusTransaction.requiringNew().run(() -> check(storedBytes.quota(), more, what));
        }
    }

    /**
     * In the transaction that records {@code more} new bytes: when the tenant has a quota its row is locked ({@code
     * select … for update}) until that transaction ends, and the bytes counted after the lock are the ones committed
     * before it. An unlimited tenant takes no lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reserve(long more, String what) {
        if (more > 0 && storedBytes.quota() != null) {
            check(storedBytes.lockQuota(), more, what);
        }
    }

    private void check(Long quota, long more, String what) {
        if (quota == null) {
            return;
        }
        long stored = storedBytes.stored();
        if (!new TenantQuotas(null, quota, null, null).allowsArtifactBytes(stored, more)) {
            throw ProblemException.conflict("tenant " + tenants.current() + " may store " + quota
                    + " bytes of artifacts (maxArtifactBytes) and stores " + stored + "; " + what + " adds " + more
                    + ": nothing was stored");
        }
    }
}
