package io.updraft.rollout.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The send budget of one wave under a {@link RolloutRate}: a token bucket refilled at the current rate (holding at
 * most two seconds of it, at least one token), and the exponential ramp's progress. Pure and immutable; the dispatcher
 * keeps it in the wave's dispatch row, so replicas and restarts continue the same ramp.
 *
 * @param ratePerMinute the current rate
 * @param nextStep notified (or succeeded) devices at which the rate rises next
 * @param tokens installs that may be sent now (fractional: a token accrues over time)
 * @param at when {@code tokens} was last brought up to date
 */
public record RateBudget(double ratePerMinute, long nextStep, double tokens, Instant at) {
    private static final double BURST_SECONDS = 2.0;

    /** A wave's first send: one install may leave at once. */
    public static RateBudget start(RolloutRate rate, Instant now) {
        return new RateBudget(rate.startRatePerMinute(), rate.step(), 1.0, now);
    }

    /**
     * Brings the budget to {@code now}: tokens accrued since {@link #at} at the current rate, then the rate raised
     * once per step the wave's progress passed.
     *
     * @param notified installs of the wave sent so far
     * @param succeeded installs of the wave that succeeded so far
     */
    public RateBudget refill(RolloutRate rate, Instant now, long notified, long succeeded) {
        double elapsedMinutes = Math.max(0, Duration.between(at, now).toNanos()) / 60e9;
        double filled = Math.min(capacity(ratePerMinute), tokens + ratePerMinute * elapsedMinutes);
        double newRate = ratePerMinute;
        long step = nextStep;
        if (rate.ramps()) {
            long progress = rate.countsSucceeded() ? succeeded : notified;
            while (progress >= step && newRate < rate.maximumPerMinute()) {
                newRate = Math.min(rate.maximumPerMinute(), newRate * rate.incrementFactor());
                step += rate.step();
            }
        }
        return new RateBudget(newRate, step, filled, now);
    }

    /** Whole installs that may be sent now. */
    public int allowed() {
        return (int) Math.min(Integer.MAX_VALUE, Math.floor(tokens));
    }

    public RateBudget spend(int sent) {
        return new RateBudget(ratePerMinute, nextStep, tokens - sent, at);
    }

    /** How long until the next whole token, at the current rate. */
    public Duration untilNextToken() {
        if (tokens >= 1) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1.0 - tokens) / ratePerMinute * 60e9));
    }

    private static double capacity(double ratePerMinute) {
        return Math.max(1.0, ratePerMinute / 60.0 * BURST_SECONDS);
    }
}
