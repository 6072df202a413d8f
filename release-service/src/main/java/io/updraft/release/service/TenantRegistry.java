package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.events.TenantIds;
import io.updraft.release.domain.Tenant;
import io.updraft.release.domain.TenantQuotas;
import io.updraft.release.messaging.TenantEvents;
import io.updraft.release.persistence.TenantRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The platform administrator's use cases (ADR 0021 decisions 1 and 5): create, list and read tenants and set their
 * quotas. Each creation and each change is one transaction with its {@code TenantDefined} in the outbox, on the
 * compacted {@code tenants} topic keyed by the tenant's id. The registry belongs to no tenant: its work runs with the
 * session opened for {@link TenantIds#DEFAULT} (the caller, a platform administrator, names no tenant) and its events
 * are written in DEFAULT's envelope, so their key is the bare tenant id.
 */
@ApplicationScoped
public class TenantRegistry {
    @Inject
    TenantRepository tenants;
    @Inject
    Outbox outbox;

    /**
     * @param id a canonical tenant id
     * @throws ProblemException 409 when a tenant with that id exists (ids are compared without case)
     */
    public Tenant create(String id, String displayName, TenantQuotas quotas) {
        try {
            return platform(() -> {
                if (tenants.findByIdOptional(id).isPresent()) {
                    throw exists(id);
                }
                Tenant tenant = new Tenant(id, displayName, quotas, Instant.now().truncatedTo(ChronoUnit.MICROS));
                tenants.persist(tenant);
                tenants.flush(); // a concurrent create of the same id fails here, on the primary key
                outbox.append(TenantIds.DEFAULT, TenantEvents.toDefined(tenant));
                return tenant;
            });
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            if (find(id).isPresent()) {
                throw exists(id); // the other create won the primary key
            }
            throw e;
        }
    }

    public Optional<Tenant> find(String id) {
        return platform(() -> tenants.findByIdOptional(id));
    }

    /** Up to {@code limit} tenants in id order, after {@code afterId} (null: from the first). */
    public List<Tenant> page(String afterId, int limit) {
        return platform(() -> tenants.page(afterId, limit));
    }

    /**
     * Applies {@code change} to the tenant's quotas under its row lock. An unchanged result keeps the version and
     * announces nothing (a retried request is harmless).
     *
     * @throws ProblemException 404 for an unknown tenant
     */
    public Tenant changeQuotas(String id, UnaryOperator<TenantQuotas> change) {
        return platform(() -> {
            Tenant tenant = tenants.lock(id).orElseThrow(() -> unknown(id));
            if (tenant.changeQuotas(change.apply(tenant.quotas()), Instant.now().truncatedTo(ChronoUnit.MICROS))) {
                outbox.append(TenantIds.DEFAULT, TenantEvents.toDefined(tenant));
            }
            return tenant;
        });
    }

    public static ProblemException unknown(String id) {
        return ProblemException.notFound("no tenant " + id);
    }

    private static ProblemException exists(String id) {
        return ProblemException.conflict("tenant " + id + " already exists (tenant ids are compared without case)");
    }

    private static <T> T platform(Supplier<T> work) {
        return Tenants.runAs(TenantIds.DEFAULT, () -> QuarkusTransaction.requiringNew().call(work::get));
    }
}
