package io.updraft.events;

import java.util.Locale;

/**
 * What a tenant id is (ADR 0021): 1 to 40 of {@code A-Z a-z 0-9 _ -}, starting with a letter or digit, compared
 * without case and kept upper-cased (hawkBit's tenants are case-insensitive: {@code /default/controller/v1/…} and
 * {@code /DEFAULT/…} are one tenant). {@link #DEFAULT} is the tenant of everything written before tenants existed and
 * of every installation that never configures one.
 *
 * <p>On Kafka a tenant other than {@link #DEFAULT} prefixes the record key ({@code TENANT/key}), so two tenants'
 * {@code gw-1} never share a key while one tenant's device keeps its order; {@link #DEFAULT}'s keys stay as they were,
 * so a single-tenant installation's records do not change.
 */
public final class TenantIds {
    public static final String DEFAULT = "DEFAULT";
    public static final int MAX_LENGTH = 40;
    /** Between a tenant and the key in a record key; not a character of any identifier. */
    public static final char KEY_SEPARATOR = '/';

    private TenantIds() {
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '_' && c != '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the tenant's canonical (upper-case) form
     * @throws IllegalArgumentException if {@code value} is not a tenant id
     */
    public static String canonical(String value) {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a tenant id (1-" + MAX_LENGTH
                    + " of A-Z a-z 0-9 _ -, starting with a letter or digit)");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    public static boolean isDefault(String tenant) {
        return tenant == null || DEFAULT.equals(tenant);
    }

    /** The Kafka record key of {@code key} in {@code tenant}: unchanged for {@link #DEFAULT}. */
    public static String recordKey(String tenant, String key) {
        return isDefault(tenant) ? key : tenant + KEY_SEPARATOR + key;
    }

    /** The tenant of a record key written by {@link #recordKey}: {@link #DEFAULT} when it has no prefix. */
    public static String tenantOfRecordKey(String recordKey) {
        int separator = recordKey == null ? -1 : recordKey.indexOf(KEY_SEPARATOR);
        return separator < 0 ? DEFAULT : recordKey.substring(0, separator);
    }
}
