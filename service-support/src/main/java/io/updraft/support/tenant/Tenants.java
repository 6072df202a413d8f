package io.updraft.support.tenant;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.updraft.events.TenantIds;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whose data the code at hand works on (ADR 0021). In a request it is the tenant of the verified token ({@link
 * TenantClaim} put it on the identity; never a header or a path the caller chooses); code outside requests (Kafka
 * consumers, schedulers, the DDI edge once it has read the path's tenant) names it with {@link #runAs}. With nothing
 * bound and no authenticated caller it is {@link TenantIds#DEFAULT}.
 */
@ApplicationScoped
public class Tenants {
    /** The identity attribute {@link TenantClaim} sets: the caller's canonical tenant id. */
    public static final String ATTRIBUTE = "io.updraft.tenant";
    private static final ThreadLocal<String> BOUND = new ThreadLocal<>();

    @Inject
    TenancyConfig config;
    @Inject
    Instance<SecurityIdentity> identity;
    @Inject
    Instance<TenantAware> tenantAware;

    void refuseMultiWithoutIsolation(@Observes StartupEvent startup) {
        if (isMulti() && tenantAware.isUnsatisfied()) {
            throw new IllegalStateException("updraft.tenancy.mode=multi: this service does not keep tenants apart yet"
                    + " (ADR 0021); run it with updraft.tenancy.mode=single");
        }
    }

    public boolean isMulti() {
        return config.mode() == TenancyConfig.Mode.MULTI;
    }

    /**
     * @return the canonical tenant the current code works for
     * @throws ProblemException 403 for an authenticated caller whose token names no tenant in multi mode (a
     *         platform administrator's, which may only manage tenants)
     */
    public String current() {
        String bound = BOUND.get();
        if (bound != null) {
            return bound;
        }
        if (!Arc.container().requestContext().isActive()) {
            return TenantIds.DEFAULT;
        }
        SecurityIdentity caller = identity.get();
        if (caller == null || caller.isAnonymous()) {
            return TenantIds.DEFAULT;
        }
        String tenant = caller.getAttribute(ATTRIBUTE);
        if (tenant == null) {
            throw new ProblemException(403, "Forbidden", "the token names no tenant");
        }
        return tenant;
    }

    /** Runs {@code work} as {@code tenant} on this thread (consumers, schedulers), then restores what was bound. */
    public static <T> T runAs(String tenant, Supplier<T> work) {
        Objects.requireNonNull(tenant, "tenant");
        String before = BOUND.get();
        BOUND.set(tenant);
        try {
            return work.get();
        } finally {
            if (before == null) {
                BOUND.remove();
            } else {
                BOUND.set(before);
            }
        }
    }

    public static void runAs(String tenant, Runnable work) {
        runAs(tenant, () -> {
            work.run();
            return null;
        });
    }

    /** The tenant bound by {@link #runAs} on this thread, or null. */
    public static String bound() {
        return BOUND.get();
    }
}
