package io.updraft.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

@ConfigMapping(prefix = "updraft.gateway")
public interface GatewayConfig {
    /**
     * Single mode ({@code updraft.tenancy.mode=single}): the one tenant this gateway serves; other tenants in the DDI
     * path answer 404 (compared case-insensitively). Ignored in multi mode, which serves {@link #tenants()}.
     */
    @WithDefault("DEFAULT")
    String tenant();

    /** Single mode: shared secret for {@code Authorization: GatewayToken}; absent means gateway tokens are refused. */
    Optional<String> gatewayToken();

    /**
     * Multi mode: the tenants this gateway serves, by tenant id ({@code updraft.gateway.tenants.ACME.gateway-token}),
     * each with its own gateway token. Ignored in single mode.
     */
    Map<String, ServedTenant> tenants();

    /** One tenant served in multi mode. */
    interface ServedTenant {
        /** Shared secret for {@code Authorization: GatewayToken} on this tenant's paths only; absent: refused. */
        Optional<String> gatewayToken();
    }

    /** Lets devices in without any token. Only for closed test networks. */
    @WithDefault("false")
    boolean anonymousEnabled();

    Polling polling();

    Artifacts artifacts();

    Delta delta();

    Http http();

    FirstContact firstContact();

    /** Loads every device's poll view in one streamed query whenever the change listener (re)connects. */
    @WithDefault("true")
    boolean warmCache();

    /** How often actions past their expiresAt are looked for (Quarkus duration, or {@code off}). */
    @WithDefault("PT1M")
    String expirySweep();

    /** At most one DeviceSeen heartbeat per device per this interval. */
    @WithDefault("PT5M")
    Duration heartbeatSample();

    /** Base of the absolute hrefs handed to devices (e.g. behind a proxy); else the request's scheme and host. */
    Optional<String> publicUrl();

    /** Where the artifact bytes are streamed from. */
    @WithDefault("http://localhost:8081")
    String releaseServiceUrl();

    /**
     * Polls the cache cannot answer (first contact of a device, a view not in memory) are coalesced: one writer
     * registers and loads them a batch per transaction, so a registration storm costs one connection, not one each.
     */
    interface FirstContact {
        /** Polls waiting for the writer; beyond this a first contact is refused at once with 503 + Retry-After. */
        @WithDefault("20000")
        int queueCapacity();

        /** Devices registered and loaded per transaction. */
        @WithDefault("1000")
        int batchSize();

        /** How long a poll waits for its batch before it is answered 503 + Retry-After. */
        @WithDefault("PT10S")
        Duration maxWait();

        /** The Retry-After of such a 503, stretched by the device's own jitter so the retries spread out. */
        @WithDefault("PT10S")
        Duration retryAfter();
    }

    /** Capability URLs for SWUpdate's delta handler, which fetches the .zck with no credentials of its own. */
    interface Delta {
        /**
         * HMAC-SHA256 key (base64, at least 32 bytes decoded) of {@code /delta/v1/<tenant>/<sha256>.zck?key=..}
         * links; absent: no links are minted (409) and the delta path answers 404. A shorter key refuses the start.
         */
        Optional<String> linkKey();
    }

    interface Artifacts {
        /**
         * Most byte ranges one download request may ask for (counted as written, before coalescing); beyond it the
         * answer is 416 (RFC 9110 §15.5.17: an excessive number of ranges). SWUpdate's delta handler asks for up to
         * 150 per request in Debian bookworm's 2022.12 (10 in later releases) unless its sw-description sets
         * {@code max-ranges}; 200 is Apache httpd's MaxRanges default.
         */
        @WithDefault("200")
        int maxRanges();
    }

    /** The device-facing HTTP server's sockets. */
    interface Http {
        /**
         * SO_SNDBUF of each device connection, in bytes (at least 4096; Linux doubles it for its bookkeeping). Absent:
         * the kernel's autotuning, which lets one slow download hold up to {@code net.ipv4.tcp_wmem}'s maximum (4 MiB
         * by default) of artifact in kernel memory. Set it on a gateway serving many devices on slow or lossy links:
         * it bounds that memory per connection, and bounds what a connection that dies mid-download had already
         * taken from the artifact store, so the device's Range resume re-fetches at most this much again.
         */
        OptionalInt sendBufferBytes();
    }

    interface Polling {
        /** Sleep between polls while nothing is pending. */
        @WithDefault("PT5M")
        Duration interval();

        /** Sleep between polls while an action is pending, so progress and cancels travel fast. */
        @WithDefault("PT30S")
        Duration activeInterval();

        /**
         * Spread of the sleep around the interval, as a fraction (0.1 = ±10 %). Fixed per device (derived from its
         * id), so a fleet that started together drifts apart and each device still sees a steady interval.
         */
        @WithDefault("0.1")
        double jitter();
    }
}
