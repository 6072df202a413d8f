package io.updraft.rollout.domain;

/**
 * Decides what a running wave does next from its counters in ACTIVE cohorts (rollback actions never count).
 * Failures are judged first: a wave that fails too often must stop even if it is otherwise complete.
 */
public final class WaveJudge {
    public enum Verdict {
        /** failure ratio above the error threshold: pause the rollout */
        PAUSE,
        /** enough devices finished: soak, then start the next wave */
        SOAK,
        /** keep waiting for reports */
        WAIT
    }

    /** Counters of one wave over its active cohorts. */
    public record WaveProgress(long devices, long succeeded, long failed, long canceled) {
        long finished() {
            return succeeded + failed + canceled;
        }
    }

    private WaveJudge() {
    }

    /**
     * @param errorsAccepted the operator resumed this wave after it paused: its failures no longer pause it
     * @param waveRunning false when the wave already soaks (only the error threshold still applies)
     */
    public static Verdict judge(WaveProgress progress, double errorThreshold, int minSampleSize,
            double successThreshold, boolean errorsAccepted, boolean waveRunning) {
        long judged = progress.succeeded() + progress.failed();
        if (!errorsAccepted && judged > 0 && judged >= minSampleSize
                && (double) progress.failed() / judged > errorThreshold) {
            return Verdict.PAUSE;
        }
        if (!waveRunning) {
            return Verdict.WAIT;
        }
        // a wave whose every cohort was rolled back has nothing left to wait for
        if (progress.devices() == 0 || (double) progress.finished() / progress.devices() >= successThreshold) {
            return Verdict.SOAK;
        }
        return Verdict.WAIT;
    }
}
