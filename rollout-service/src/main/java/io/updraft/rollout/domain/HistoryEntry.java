package io.updraft.rollout.domain;

import java.time.Instant;

/** What a history page lists: {@code key} orders entries of the same instant. */
public record HistoryEntry(Instant at, String key, String type, String actor, String reason, Integer wave,
        String cohort, String deviceId, Long actionId, String rolloutId, String details) {
}
