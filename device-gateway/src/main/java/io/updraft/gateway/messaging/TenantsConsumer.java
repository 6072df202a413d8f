package io.updraft.gateway.messaging;

import io.updraft.support.tenant.TenantQuotaBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The tenant registry ({@code tenants}, compacted, written by release-service) into {@link TenantQuotaBook}: every
 * instance reads the whole topic (a consumer group of its own, from the earliest offset, committing nothing), so each
 * knows every tenant's device quota. A record that cannot be read is logged and skipped by the book: it keeps what it
 * knew, and the records after it are read.
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
