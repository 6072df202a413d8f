package io.updraft.support.tenant;

import io.updraft.events.EventJson;
import io.updraft.events.TenantEvent;
import io.updraft.events.TenantEvent.Quotas;
import io.updraft.events.TenantEvent.TenantDefined;
import io.updraft.events.TenantIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each tenant's quotas as the compacted {@code tenants} topic last announced them (ADR 0021 decision 5): release-service
 * owns the registry; a service that enforces a quota reads the whole topic into this book (its own consumer, with a
 * group id of its own per instance, from the earliest offset, committing nothing) and asks it at the moment a change
 * would exceed a limit.
 *
 * <p>A tenant the book has no record of is unlimited — {@code DEFAULT} until its quotas are first set, or any tenant
 * before the topic has been read — so a single-tenant installation with no registry changes behaves exactly as
 * before. Records may come again or out of order (a re-read from the start, a retried publish): the highest
 * {@code version} per tenant wins.
 */
@ApplicationScoped
public class TenantQuotaBook {
    private static final Logger LOG = Logger.getLogger(TenantQuotaBook.class);
    private final Map<String, TenantDefined> tenants = new ConcurrentHashMap<>();

    /**
     * Takes in one record as it came off the topic (the services' {@code tenants} channel hands each record here). A
     * record that cannot be read, is not a {@code TenantDefined} or names no tenant id is logged — bounded, without
     * control characters, so a hostile record forges no log line — and skipped: the book keeps what it knew, and the
     * records after it are read. A tombstone changes nothing (the registry never deletes a tenant).
     *
     * @return true when it changed what the book knows
     */
    public boolean applyRecord(int partition, long offset, String key, String value) {
        if (value == null) {
            return false;
        }
        TenantEvent event;
        try {
            event = EventJson.read(value, TenantEvent.class);
        } catch (RuntimeException e) {
            LOG.warnf("tenants record at %d/%d (key %s) skipped, it cannot be read: %s", partition, offset,
                    printable(key, 60), printable(e.getMessage(), 300));
            return false;
        }
        if (!(event instanceof TenantDefined defined)) {
            return false;
        }
        if (defined.tenantId() == null || !TenantIds.isValid(defined.tenantId())) {
            LOG.warnf("tenants record at %d/%d skipped: %s is no tenant id", partition, offset,
                    printable(defined.tenantId(), 60));
            return false;
        }
        boolean changed = apply(defined);
        if (changed) {
            LOG.debugf("tenant %s version %d: %s", defined.tenantId(), defined.version(), defined.quotas());
        }
        return changed;
    }

    /** Text from a record as it may be logged: bounded, without control characters. */
    private static String printable(String text, int max) {
        if (text == null) {
            return "none";
        }
        String cut = text.length() > max ? text.substring(0, max) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * Takes in one record of the topic.
     *
     * @return true when it changed what the book knows (a newer version of the tenant, or its first record)
     */
    public boolean apply(TenantDefined defined) {
        if (defined == null || defined.tenantId() == null || !TenantIds.isValid(defined.tenantId())) {
            return false;
        }
        String tenant = TenantIds.canonical(defined.tenantId());
        boolean[] changed = { false };
        tenants.compute(tenant, (id, known) -> {
            if (known == null || defined.version() > known.version()) {
                changed[0] = true;
                return defined;
            }
            return known;
        });
        return changed[0];
    }

    /** @return the tenant's quotas as last announced; {@link Quotas#UNLIMITED} for a tenant without a record */
    public Quotas quotas(String tenant) {
        if (tenant == null || !TenantIds.isValid(tenant)) {
            return Quotas.UNLIMITED;
        }
        TenantDefined defined = tenants.get(TenantIds.canonical(tenant));
        return defined == null ? Quotas.UNLIMITED : defined.quotas();
    }

    /** @return whether the tenant has a record in the registry (it was created, or its quotas were set) */
    public boolean isRegistered(String tenant) {
        return tenant != null && TenantIds.isValid(tenant) && tenants.containsKey(TenantIds.canonical(tenant));
    }

    /** @return the version of the tenant's record the book holds; 0 without one */
    public long version(String tenant) {
        if (tenant == null || !TenantIds.isValid(tenant)) {
            return 0;
        }
        TenantDefined defined = tenants.get(TenantIds.canonical(tenant));
        return defined == null ? 0 : defined.version();
    }
}
