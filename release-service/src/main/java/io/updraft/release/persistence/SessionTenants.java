package io.updraft.release.persistence;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import io.updraft.events.TenantIds;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

/**
 * Hibernate's discriminator multi-tenancy (ADR 0021, as hawkBit): each session is opened for {@link Tenants#current()}
 * (the verified token's tenant, or the one a {@link Tenants#runAs} bound), every entity it writes gets that
 * {@code tenant_id} and every query and load by id it runs is filtered by it. Native SQL, which the filter does not
 * reach, names the session's tenant itself ({@link #of}).
 */
@PersistenceUnitExtension
@ApplicationScoped
public class SessionTenants implements TenantResolver {
    @Inject
    Tenants tenants;

    @Override
    public String getDefaultTenantId() {
        return TenantIds.DEFAULT;
    }

    @Override
    public String resolveTenantId() {
        return tenants.current();
    }

    /** The tenant {@code entityManager}'s session was opened for: what native SQL must put in its where clause. */
    static String of(EntityManager entityManager) {
        return (String) entityManager.unwrap(Session.class).getTenantIdentifierValue();
    }
}
