package io.updraft.rollout.messaging;

import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the tenant registry ({@code tenants}, compacted, written by release-service) into the {@link TenantQuotaBook}
 * the quotas are decided by (ADR 0021 decision 5). Every instance must know every tenant, so the channel has a
 * consumer group of its own per instance, reads from the earliest offset and commits nothing
 * ({@code application.properties}). A record it cannot read is logged and skipped by the book, never parked or
 * retried: the registry is release-service's, the next record of that tenant replaces it, and a stuck partition would
 * leave every tenant's quotas where they were.
 */
@ApplicationScoped
public class TenantsConsumer {
    @Inject
    TenantQuotaBook book;

    @Incoming(Channels.TENANTS)
    public void onTenant(ConsumerRecord<String, String> record) {
        book.applyRecord(record.partition(), record.offset(), record.key(), record.value());
    }
}
