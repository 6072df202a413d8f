package io.updraft.rollout.domain;

import java.util.List;

/** Cumulative wave percentages of the target set: strictly ascending, each in 1..100, the last one 100. */
public record WaveSchedule(List<Integer> percents) {
    public static final WaveSchedule SINGLE_WAVE = new WaveSchedule(List.of(100));

    public WaveSchedule {
        if (percents == null || percents.isEmpty()) {
            throw new IllegalArgumentException("waves must list at least one percentage");
        }
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
        percents = List.copyOf(percents);
    }

    public int count() {
        return percents.size();
    }

    /** @param wave 1-based */
    public int percent(int wave) {
        return percents.get(wave - 1);
    }
}
