package io.updraft.rollout.api;

import io.updraft.rollout.domain.Exclusion;
import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.domain.WaveGroup;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.service.RolloutCreation;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What a rollout request would do now: how many devices it takes ({@code matching}), each canary stratum ("cohort":
 * hardware cohort, plus the cohortBy attributes) with the devices each wave takes from it, and each wave's size,
 * group, thresholds and error action. {@code ungrouped}: devices of the target set that no explicit group takes
 * (they are not part of the rollout; always 0 for percentage waves). {@code excluded}: devices the target
 * attributes and filter select, by reason (ALREADY_ON_RELEASE and INCOMPATIBLE are not in the rollout; OFFLINE ones
 * are, counted in {@code matching}, but were last seen before {@code offlineBefore}), each with its count and the
 * first device ids by id.
 */
public record RolloutPreview(long matching, List<CohortPlan> cohorts, List<WavePlan> waves, long ungrouped,
        List<Exclusion> excluded, Instant offlineBefore) {

    public record CohortPlan(String cohort, int devices, List<Integer> perWave) {
    }

    /**
     * @param percent cumulative percentage of the target set, or for a group the share of its own devices
     * @param name the group's name, or null for a percentage wave
     * @param filter the group's filter, or null
     */
    public record WavePlan(int wave, int percent, int devices, boolean approval, String name, String filter,
            Double successThreshold, Double errorThreshold, String errorAction) {
    }

    /** @param plan its waves' rules resolved against the request's (and the service's) defaults */
    public static RolloutPreview of(RolloutCreation.Preview preview, Set<Integer> approvals) {
        RolloutPlan plan = preview.plan();
        int count = plan.waves().count();
        List<CohortPlan> cohorts = plan.cumulative().keySet().stream()
                .map(stratum -> new CohortPlan(stratum, plan.cohortSize(stratum),
                        IntStream.rangeClosed(1, count).mapToObj(wave -> plan.devicesIn(stratum, wave)).toList()))
                .toList();
        List<WavePlan> waves = IntStream.rangeClosed(1, count)
                .mapToObj(wave -> {
                    WaveRules rules = plan.waves().rules(wave);
                    WaveGroup group = plan.waves().group(wave);
                    return new WavePlan(wave, plan.waves().percent(wave), plan.devicesInWave(wave),
                            approvals.contains(wave), group == null ? null : group.name(),
                            group == null ? null : group.filterText(), rules.successThreshold(),
                            rules.errorThreshold(), rules.errorAction() == null ? null : rules.errorAction().name());
                })
                .toList();
        return new RolloutPreview(plan.deviceCount(), cohorts, waves, plan.ungrouped(), preview.exclusions(),
                preview.offlineBefore());
    }
}
