package io.updraft.rollout.domain;

/**
 * One wave's own thresholds and error action; a null field means "the rollout's". {@link #orElse} resolves them, which
 * creation does once: the wave rows store the effective values.
 *
 * @param successThreshold finished share of the wave's devices (0..1) after which it soaks
 * @param errorThreshold failed share of its judged devices (0..1) above which the soaked wave trips {@code errorAction}
 */
public record WaveRules(Double successThreshold, Double errorThreshold, ErrorAction errorAction) {
    public static final WaveRules NONE = new WaveRules(null, null, null);

    public WaveRules {
        check("successThreshold", successThreshold);
        check("errorThreshold", errorThreshold);
    }

    /** These rules with every missing field taken from the rollout's. */
    public WaveRules orElse(double rolloutSuccessThreshold, double rolloutErrorThreshold,
            ErrorAction rolloutErrorAction) {
        return new WaveRules(successThreshold == null ? rolloutSuccessThreshold : successThreshold,
                errorThreshold == null ? rolloutErrorThreshold : errorThreshold,
                errorAction == null ? rolloutErrorAction : errorAction);
    }

    private static void check(String name, Double value) {
        if (value != null && (value.isNaN() || value < 0 || value > 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }
}
