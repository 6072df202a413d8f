package io.updraft.fleet;

import java.time.Instant;

/**
 * When a device sent the final result of an install (closed success or failure) and when the gateway answered it: where
 * a benchmark's end-to-end latency starts. {@code sent} is before the request entered the fleet's HTTP queue, so the
 * time until {@code answered} includes waiting for a free connection and any 503 retries.
 *
 * @param answered null while the answer is outstanding
 */
public record FinalReport(long actionId, boolean failed, Instant sent, Instant answered, int status) {
}
