package io.updraft.support.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.updraft.events.EventJson;
import io.updraft.events.TenantEvent.Quotas;
import io.updraft.events.TenantEvent.TenantDefined;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantQuotaBookTest {
    private static TenantDefined defined(String tenant, long version, Quotas quotas) {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        return new TenantDefined("e-" + tenant + "-" + version, now, 1, tenant, tenant, now, version, quotas);
    }

    @Test
    void aTenantWithoutARecordIsUnlimited() {
        TenantQuotaBook book = new TenantQuotaBook();
        assertEquals(Quotas.UNLIMITED, book.quotas("DEFAULT"));
        assertEquals(Quotas.UNLIMITED, book.quotas("acme"));
        assertFalse(book.isRegistered("ACME"));
        assertEquals(0, book.version("ACME"));
    }

    @Test
    void theHighestVersionWinsWhateverTheOrder() {
        TenantQuotaBook book = new TenantQuotaBook();
        assertTrue(book.apply(defined("ACME", 2, new Quotas(10L, null, 3, null))));
        assertFalse(book.apply(defined("ACME", 1, new Quotas(1L, null, 1, null))), "an older record changes nothing");
        assertFalse(book.apply(defined("ACME", 2, new Quotas(99L, null, 99, null))), "the same version again");
        assertEquals(new Quotas(10L, null, 3, null), book.quotas("acme"), "ids compare without case");
        assertTrue(book.apply(defined("ACME", 3, null)));
        assertEquals(Quotas.UNLIMITED, book.quotas("ACME"), "a record without quotas lifts every limit");
        assertEquals(3, book.version("Acme"));
        assertTrue(book.isRegistered("acme"));
    }

    @Test
    void recordsThatAreNotATenantAreIgnored() {
        TenantQuotaBook book = new TenantQuotaBook();
        assertFalse(book.apply(null));
        assertFalse(book.apply(defined("a/b", 1, new Quotas(1L, null, null, null))));
        assertFalse(book.apply(defined("x".repeat(41), 1, new Quotas(1L, null, null, null))));
        assertEquals(Quotas.UNLIMITED, book.quotas("a/b"));
        assertEquals(Quotas.UNLIMITED, book.quotas(null));
    }

    @Test
    void tenantsAreKeptApart() {
        TenantQuotaBook book = new TenantQuotaBook();
        book.apply(defined("ACME", 1, new Quotas(5L, null, null, null)));
        book.apply(defined("GLOBEX", 1, new Quotas(7L, null, null, 100)));
        assertEquals(5L, book.quotas("ACME").maxDevices());
        assertEquals(100, book.quotas("GLOBEX").maxCommandsPerSecond());
        assertEquals(Quotas.UNLIMITED, book.quotas("DEFAULT"));
    }

    @Test
    void recordsOffTheTopicAreReadAndWhatCannotBeReadIsSkipped() {
        TenantQuotaBook book = new TenantQuotaBook();
        assertTrue(book.applyRecord(0, 1, "ACME", EventJson.write(defined("ACME", 1, new Quotas(3L, null, 2, 40)))));
        assertEquals(new Quotas(3L, null, 2, 40), book.quotas("ACME"));
        assertFalse(book.applyRecord(0, 2, "ACME", null), "a tombstone forgets nothing");
        assertFalse(book.applyRecord(0, 3, "ACME\n[forged]", "{not json\r\nWARN forged"));
        assertFalse(book.applyRecord(0, 4, "X", "{\"type\":\"SomethingElse\"}"));
        assertFalse(book.applyRecord(0, 5, "A/B", EventJson.write(defined("A/B", 1, new Quotas(1L, null, null, null)))));
        assertFalse(book.applyRecord(0, 6, "ACME", EventJson.write(defined("ACME", 1, Quotas.UNLIMITED))),
                "an older or equal version again");
        assertEquals(new Quotas(3L, null, 2, 40), book.quotas("ACME"), "what was known is kept");
        assertTrue(book.applyRecord(0, 7, "ACME", EventJson.write(defined("ACME", 2, Quotas.UNLIMITED))));
        assertEquals(Quotas.UNLIMITED, book.quotas("ACME"));
    }
}
