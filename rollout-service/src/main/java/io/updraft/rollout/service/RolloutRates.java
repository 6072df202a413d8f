package io.updraft.rollout.service;

import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutRate;
import io.updraft.support.problem.ProblemException;

/** The request's {@code rolloutRate}, checked (400 naming the field) and stored on the rollout. */
final class RolloutRates {
    private RolloutRates() {
    }

    /** @return null when the request sets no rate */
    static RolloutRate of(NewRollout.Rate request) {
        if (request == null) {
            return null;
        }
        var exponential = request.exponentialRate();
        var criteria = exponential == null ? null : exponential.rateIncreaseCriteria();
        Integer max = request.maximumPerMinute();
        if (max == null) {
            // as AWS IoT Jobs: a ramp without a maximum climbs as far as it can
            max = exponential == null ? null : RolloutRate.MAX_PER_MINUTE;
        }
        if (max == null) {
            throw ProblemException.badRequest("rolloutRate needs maximumPerMinute or exponentialRate");
        }
        try {
            return new RolloutRate(max, exponential == null ? null : exponential.baseRatePerMinute(),
                    exponential == null ? null : exponential.incrementFactor(),
                    criteria == null ? null : criteria.numberOfNotifiedThings(),
                    criteria == null ? null : criteria.numberOfSucceededThings());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    static void store(RolloutRate rate, Rollout rollout) {
        if (rate == null) {
            return;
        }
        rollout.rateMaxPerMinute = rate.maximumPerMinute();
        rollout.rateBasePerMinute = rate.baseRatePerMinute();
        rollout.rateFactor = rate.incrementFactor();
        rollout.rateStep = rate.ramps() ? (int) rate.step() : null;
        rollout.rateCountsSucceeded = rate.countsSucceeded();
    }
}
