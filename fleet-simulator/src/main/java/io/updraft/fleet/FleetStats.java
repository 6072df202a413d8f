package io.updraft.fleet;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the whole fleet shares, for the live summary line and the final report. */
public final class FleetStats {
    final AtomicLong polls = new AtomicLong();
    final AtomicLong pollErrors = new AtomicLong();
    final AtomicLong installsStarted = new AtomicLong();
    final AtomicLong installsSucceeded = new AtomicLong();
    final AtomicLong installsFailed = new AtomicLong();
    final AtomicLong downloadsResumed = new AtomicLong();
    final AtomicLong bytesDownloaded = new AtomicLong();
    final AtomicLong cancelsAcknowledged = new AtomicLong();
    final AtomicLong healthReports = new AtomicLong();
    final AtomicLong silentDeaths = new AtomicLong();
    final AtomicLong retriedAfterUnavailable = new AtomicLong();
    final AtomicLong deltaInstalls = new AtomicLong();
    final AtomicLong deltaBytesDownloaded = new AtomicLong();
    final AtomicLong deltaFullBytes = new AtomicLong();
    final AtomicLong deltaChunksFetched = new AtomicLong();
    final AtomicLong deltaChunksReused = new AtomicLong();

    /** Delta downloads (of a .zck) that rebuilt and verified the new image. */
    public long deltaInstalls() {
        return deltaInstalls.get();
    }

    /**
     * Bytes delta clients received for their delta downloads (header, chunks, multipart framing), failed ones
     * included; also part of {@link #bytesDownloaded()}.
     */
    public long deltaBytesDownloaded() {
        return deltaBytesDownloaded.get();
    }

    /** What those delta downloads would have cost as full downloads: the sizes of the plain images they replaced. */
    public long deltaFullBytes() {
        return deltaFullBytes.get();
    }

    public long deltaChunksFetched() {
        return deltaChunksFetched.get();
    }

    /** Chunks delta clients took from their running image instead of downloading. */
    public long deltaChunksReused() {
        return deltaChunksReused.get();
    }

    /** Requests sent again because they were answered 503 with Retry-After. */
    public long retriedAfterUnavailable() {
        return retriedAfterUnavailable.get();
    }

    public long polls() {
        return polls.get();
    }

    public long pollErrors() {
        return pollErrors.get();
    }

    public long installsStarted() {
        return installsStarted.get();
    }

    public long installsSucceeded() {
        return installsSucceeded.get();
    }

    public long installsFailed() {
        return installsFailed.get();
    }

    public long downloadsResumed() {
        return downloadsResumed.get();
    }

    public long bytesDownloaded() {
        return bytesDownloaded.get();
    }

    public long cancelsAcknowledged() {
        return cancelsAcknowledged.get();
    }

    public long healthReports() {
        return healthReports.get();
    }

    public long silentDeaths() {
        return silentDeaths.get();
    }
}
