package io.updraft.gateway.messaging;

import io.updraft.events.EventJson;
import io.updraft.events.TenantEvent;
import io.updraft.events.TenantIds;
import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The tenant registry ({@code tenants}, compacted, written by release-service) into {@link TenantQuotaBook}: every
 * instance reads the whole topic (a consumer group of its own, from the earliest offset, committing nothing), so each
 * knows every tenant's device quota. A record that cannot be read is logged and skipped: the book keeps what it
 * knew, and the records after it are read.
 */
@ApplicationScoped
public class TenantsConsumer {
    private static final Logger LOG = Logger.getLogger(TenantsConsumer.class);

    @Inject
    TenantQuotaBook book;

    @Incoming(Channels.TENANTS)
    public void onTenant(ConsumerRecord<String, String> record) {
        TenantEvent event;
        try {
            event = record.value() == null ? null : EventJson.read(record.value(), TenantEvent.class);
        } catch (RuntimeException e) {
            LOG.warnf("tenants record at %d/%d (key %s) skipped, it cannot be read: %s", record.partition(),
                    record.offset(), printable(record.key(), 60), printable(e.getMessage(), 300));
            return;
        }
        if (!(event instanceof TenantEvent.TenantDefined defined)) {
            return; // a tombstone: compaction's business, a tenant is never deleted from the book
        }
        if (!TenantIds.isValid(defined.tenantId())) {
            LOG.warnf("tenants record at %d/%d skipped: %s is no tenant id", record.partition(), record.offset(),
                    printable(defined.tenantId(), 60));
        } else if (book.apply(defined)) {
            LOG.debugf("tenant %s version %d: maxDevices %s", defined.tenantId(), defined.version(),
                    defined.quotas().maxDevices());
        }
    }

    /** Text from a record as it may be logged: bounded, without control characters (no forged log lines). */
    private static String printable(String text, int max) {
        if (text == null) {
            return "none";
        }
        String cut = text.length() > max ? text.substring(0, max) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
