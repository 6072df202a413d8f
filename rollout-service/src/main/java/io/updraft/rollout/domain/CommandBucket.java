package io.updraft.rollout.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A tenant's budget of device commands under its {@code maxCommandsPerSecond} quota (ADR 0021 decision 5): a token
 * bucket refilled at the quota's rate that holds at most one second of it, so a tenant may send at most {@code N}
 * commands at once after a quiet second and {@code N} a second after that — at most 2N in any second. Pure and
 * immutable; the dispatcher keeps it in the tenant's {@code tenant_command_budget} row, so replicas share one rate.
 *
 * @param tokens commands that may be sent now (fractional: a token accrues over time; never above the rate)
 * @param at when {@code tokens} was last brought up to date
 */
public record CommandBucket(double tokens, Instant at) {
    /** A tenant's first command since it has a quota: a full second's worth may leave at once. */
    public static CommandBucket full(int perSecond, Instant now) {
        return new CommandBucket(perSecond, now);
    }

    /** Brings the bucket to {@code now} at {@code perSecond}; a lowered quota cuts what was saved up to its own. */
    public CommandBucket refill(int perSecond, Instant now) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("a rate of at least 1 command per second, not " + perSecond);
        }
        double elapsedSeconds = Math.max(0, Duration.between(at, now).toNanos()) / 1e9;
        return new CommandBucket(Math.min(perSecond, tokens + perSecond * elapsedSeconds), now.isAfter(at) ? now : at);
    }

    /** Whole commands that may be sent now. */
    public int allowed() {
        return (int) Math.max(0, Math.floor(tokens));
    }

    public CommandBucket spend(int sent) {
        return new CommandBucket(tokens - sent, at);
    }

    /** How long until the next whole command may be sent, at {@code perSecond}. */
    public Duration untilNextToken(int perSecond) {
        if (tokens >= 1) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1.0 - tokens) / perSecond * 1e9));
    }
}
