package io.updraft.gateway.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.gateway.persistence.ActionBytesServedRepository;
import io.updraft.gateway.service.DeviceArtifacts.Download;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Counts artifact bytes served: per release and kind of download as a Prometheus counter
 * ({@code updraft_gateway_artifact_served_bytes_total{release,kind}} — releases bound the labels, devices would not),
 * and per action in the database, once per finished download (one upsert, never per byte), so the action's result
 * carries them ({@code ActionFinished.bytesServed}).
 */
@ApplicationScoped
public class DownloadAccounting {
    private static final Logger LOG = Logger.getLogger(DownloadAccounting.class);

    /**
     * Whole artifact (200), one range (206), several ranges in one answer (206 multipart/byteranges); anything served
     * through a delta link (no device credentials, no action) is counted as delta-link whatever its ranges.
     */
    public enum Kind {
        FULL, RANGE, MULTIRANGE, DELTA_LINK;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Inject
    MeterRegistry metrics;
    @Inject
    ActionBytesServedRepository served;

    /**
     * Called once when a download's body ended (completely or not) with {@code bytes} written to the device: the
     * action's count first, then the counter (so a counter that moved means the action's count is stored).
     */
    public void served(Download download, Kind kind, long bytes) {
        if (bytes <= 0) {
            return;
        }
        if (download.viaDeltaLink()) {
            count(download, Kind.DELTA_LINK, bytes);
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> served.add(download.tenant(), download.actionId(), bytes));
        } catch (RuntimeException e) {
            // the bytes are on their way already; a lost count must not turn into a failed download
            LOG.warnf("could not count %d bytes served for action %d: %s", bytes, download.actionId(), e.toString());
        }
        count(download, kind, bytes);
    }

    private void count(Download download, Kind kind, long bytes) {
        Counter.builder("updraft.gateway.artifact.served")
                .description("Artifact body bytes the gateway sent to devices, by release and kind of download")
                .baseUnit("bytes")
                .tag("release", download.releaseId() == null ? "none" : download.releaseId())
                .tag("kind", kind.label())
                .register(metrics)
                .increment(bytes);
    }

    /** The bytes served for the action so far, or null if none were (called inside the caller's transaction). */
    public Long of(String tenant, long actionId) {
        return served.of(tenant, actionId);
    }
}
