package io.updraft.rollout.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The semantics of explicit groups, in Java: the reference {@code AssignmentRepository.assignGroups} (one set-based
 * insert per group) follows, and what tests compare it with. Groups are taken in order; group k takes, per stratum,
 * {@link RolloutPlanner#groupShare} of the stratum's devices that match its filter and that no earlier group took —
 * the first by device id; the coverage-first canary applies to group 1 only. A device no group takes is not part of
 * the rollout.
 */
public final class GroupAssignment {
    /** A device of the target set (already selected by target, filter and hardware). */
    public record Candidate(String deviceId, String stratum, Map<String, String> attributes, String installedVersion) {
    }

    private GroupAssignment() {
    }

    /**
     * @return device id → wave (1-based) for every device a group takes; devices of no group are absent. Device ids
     *         are ordered by code point (the database orders them by its collation: the same for plain ASCII ids of
     *         one length)
     */
    public static Map<String, Integer> assign(WaveSchedule groups, Collection<Candidate> targetSet, int canary) {
        if (!groups.grouped()) {
            throw new IllegalArgumentException("assign needs explicit groups");
        }
        Map<String, Integer> waves = new HashMap<>();
        for (int wave = 1; wave <= groups.count(); wave++) {
            WaveGroup group = groups.group(wave);
            Map<String, List<Candidate>> strata = new TreeMap<>();
            for (Candidate candidate : targetSet) {
                if (!waves.containsKey(candidate.deviceId())
                        && group.matches(candidate.attributes(), candidate.installedVersion())) {
                    strata.computeIfAbsent(candidate.stratum(), s -> new ArrayList<>()).add(candidate);
                }
            }
            int percent = groups.percent(wave);
            int groupCanary = wave == 1 ? canary : 0;
            for (List<Candidate> stratum : strata.values()) {
                stratum.sort(Comparator.comparing(Candidate::deviceId));
                int takes = RolloutPlanner.groupShare(percent, stratum.size(), groupCanary);
                for (int i = 0; i < takes; i++) {
                    waves.put(stratum.get(i).deviceId(), wave);
                }
            }
        }
        return waves;
    }
}
