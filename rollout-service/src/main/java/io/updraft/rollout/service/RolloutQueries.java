package io.updraft.rollout.service;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.HistoryEntry;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.WaveCohortActions;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.HistoryRepository;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the API shows of rollouts: reads only, each in its own statement, no lock taken. */
@ApplicationScoped
public class RolloutQueries {
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    ActionRepository actions;
    @Inject
    HistoryRepository history;

    public Optional<Rollout> find(String id) {
        return rollouts.findOfTenant(id);
    }

    /** Newest first, optionally of one name, after the rollout created at {@code afterCreatedAt} as {@code afterId}. */
    public List<Rollout> newestFirst(String name, String releaseId, Instant afterCreatedAt, String afterId, int limit) {
        return rollouts.newestFirst(name, releaseId, afterCreatedAt, afterId, limit);
    }

    public List<WaveRow> waves(String rolloutId) {
        return waves.waves(rolloutId);
    }

    public List<CohortRow> cohorts(String rolloutId) {
        return waves.cohorts(rolloutId);
    }

    public List<WaveCohortActions> actionsPerWaveAndCohort(String rolloutId) {
        return waves.actionsPerWaveAndCohort(rolloutId);
    }

    public Map<ActionState, Long> rollbackCounts(String rolloutId) {
        return actions.rollbackCounts(rolloutId);
    }

    /** The rollout's actions, or one device's. */
    public List<DeviceAction> actions(String rolloutId, String deviceIdOrNull) {
        return actions.list(rolloutId, deviceIdOrNull);
    }

    public List<HistoryEntry> history(String rolloutId, Instant afterAt, String afterKey, int limit) {
        return history.rollout(rolloutId, afterAt, afterKey, limit);
    }
}
