package io.updraft.rollout.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rollout's waves, in one of two forms that a rollout cannot mix:
 * <ul>
 * <li><b>percentages</b> ({@code groups} empty): cumulative percentages of the target set, strictly ascending, each
 * in 1..100, the last one 100;</li>
 * <li><b>groups</b>: wave k is {@code groups.get(k-1)}, which takes {@code percents.get(k-1)} % (1..100) of the
 * devices of the target set that match its filter and that no earlier group took.</li>
 * </ul>
 * Either form carries each wave's own {@link WaveRules} (thresholds, error action; {@link WaveRules#NONE} when the
 * wave has none).
 */
public record WaveSchedule(List<Integer> percents, List<WaveGroup> groups, List<WaveRules> rules) {
    public static final WaveSchedule SINGLE_WAVE = new WaveSchedule(List.of(100));

    /** Percentage waves without rules of their own. */
    public WaveSchedule(List<Integer> percents) {
        this(percents, List.of(), null);
    }

    public WaveSchedule {
        if (percents == null || percents.isEmpty()) {
            throw new IllegalArgumentException("waves must list at least one percentage");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        if (rules == null) {
            rules = Collections.nCopies(percents.size(), WaveRules.NONE);
        }
        if (rules.size() != percents.size() || (!groups.isEmpty() && groups.size() != percents.size())) {
            throw new IllegalArgumentException("every wave needs its percentage, rules and (for groups) its group");
        }
        if (groups.isEmpty()) {
            checkCumulative(percents);
        } else {
            checkGroups(percents, groups);
        }
        percents = List.copyOf(percents);
        rules = List.copyOf(rules);
    }

    private static void checkCumulative(List<Integer> percents) {
        int previous = 0;
        for (Integer percent : percents) {
            if (percent == null || percent < 1 || percent > 100) {
                throw new IllegalArgumentException("each wave must be a percentage in 1..100, got " + percent);
            }
            if (percent <= previous) {
                throw new IllegalArgumentException("waves are cumulative and must be strictly ascending: " + percents);
            }
            previous = percent;
        }
        if (previous != 100) {
            throw new IllegalArgumentException("the last wave must be 100 (the whole target set), got " + previous);
        }
    }

    private static void checkGroups(List<Integer> percents, List<WaveGroup> groups) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            Integer percent = percents.get(i);
            String name = groups.get(i).name();
            if (percent == null || percent < 1 || percent > 100) {
                throw new IllegalArgumentException("group \"" + name + "\" must take a percentage in 1..100 of its"
                        + " devices, got " + percent);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("group names must be unique: \"" + name + "\" is used twice");
            }
        }
    }

    public int count() {
        return percents.size();
    }

    /**
     * @param wave 1-based
     * @return the cumulative percentage of the target set (percentage waves), or the share of its own devices the
     *         group takes (groups)
     */
    public int percent(int wave) {
        return percents.get(wave - 1);
    }

    /** Explicit groups rather than cumulative percentages. */
    public boolean grouped() {
        return !groups.isEmpty();
    }

    /** @return the wave's group, or null for a percentage wave */
    public WaveGroup group(int wave) {
        return grouped() ? groups.get(wave - 1) : null;
    }

    /** @return the group's name, or null for a percentage wave */
    public String name(int wave) {
        return grouped() ? groups.get(wave - 1).name() : null;
    }

    public WaveRules rules(int wave) {
        return rules.get(wave - 1);
    }

    /** The same waves with every rule resolved against the rollout's thresholds and error action. */
    public WaveSchedule withDefaults(double successThreshold, double errorThreshold, ErrorAction errorAction) {
        List<WaveRules> resolved = new ArrayList<>();
        rules.forEach(rule -> resolved.add(rule.orElse(successThreshold, errorThreshold, errorAction)));
        return new WaveSchedule(percents, groups, resolved);
    }
}
