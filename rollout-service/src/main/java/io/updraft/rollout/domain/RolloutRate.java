package io.updraft.rollout.domain;

/**
 * How fast a wave's installs are sent, as AWS IoT Jobs' {@code jobExecutionsRolloutConfig}: at most
 * {@code maximumPerMinute}; with an exponential ramp, starting at {@code baseRatePerMinute} and multiplied by
 * {@code incrementFactor} each time another {@code numberOfNotifiedThings} devices were sent their install (or another
 * {@code numberOfSucceededThings} succeeded), never above the maximum. Each wave starts its ramp at the base rate.
 *
 * @param baseRatePerMinute null: no ramp, a constant {@code maximumPerMinute}
 */
public record RolloutRate(int maximumPerMinute, Integer baseRatePerMinute, Double incrementFactor,
        Integer numberOfNotifiedThings, Integer numberOfSucceededThings) {
    /** A million devices a minute: far above what any broker here takes, so "no limit" needs no special case. */
    public static final int MAX_PER_MINUTE = 1_000_000;

    public RolloutRate {
        if (maximumPerMinute < 1 || maximumPerMinute > MAX_PER_MINUTE) {
            throw new IllegalArgumentException("rolloutRate.maximumPerMinute must be in 1.." + MAX_PER_MINUTE
                    + ", got " + maximumPerMinute);
        }
        if (baseRatePerMinute == null) {
            if (incrementFactor != null || numberOfNotifiedThings != null || numberOfSucceededThings != null) {
                throw new IllegalArgumentException("rolloutRate.exponentialRate needs baseRatePerMinute");
            }
        } else {
            if (baseRatePerMinute < 1 || baseRatePerMinute > maximumPerMinute) {
                throw new IllegalArgumentException("rolloutRate.exponentialRate.baseRatePerMinute must be in 1.."
                        + maximumPerMinute + " (the maximum), got " + baseRatePerMinute);
            }
            if (incrementFactor == null || !(incrementFactor >= 1.1 && incrementFactor <= 5.0)) {
                throw new IllegalArgumentException(
                        "rolloutRate.exponentialRate.incrementFactor must be in 1.1..5, got " + incrementFactor);
            }
            if ((numberOfNotifiedThings == null) == (numberOfSucceededThings == null)) {
                throw new IllegalArgumentException("rolloutRate.exponentialRate.rateIncreaseCriteria takes exactly one"
                        + " of numberOfNotifiedThings and numberOfSucceededThings");
            }
            Integer step = numberOfNotifiedThings != null ? numberOfNotifiedThings : numberOfSucceededThings;
            if (step < 1) {
                throw new IllegalArgumentException(
                        "rolloutRate.exponentialRate.rateIncreaseCriteria must count at least 1 device, got " + step);
            }
        }
    }

    public static RolloutRate constant(int maximumPerMinute) {
        return new RolloutRate(maximumPerMinute, null, null, null, null);
    }

    public boolean ramps() {
        return baseRatePerMinute != null;
    }

    public double startRatePerMinute() {
        return ramps() ? baseRatePerMinute : maximumPerMinute;
    }

    /** Devices after which the rate rises next; 0 when it never rises. */
    public long step() {
        if (!ramps()) {
            return 0;
        }
        return numberOfNotifiedThings != null ? numberOfNotifiedThings : numberOfSucceededThings;
    }

    public boolean countsSucceeded() {
        return numberOfSucceededThings != null;
    }
}
