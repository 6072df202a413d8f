package io.updraft.rollout.domain;

/**
 * Decides what a wave does next from its counters in ACTIVE cohorts (rollback actions never count).
 *
 * <p>Failures are judged when the wave has soaked, not while it runs: during the wave and its soak the
 * telemetry-service can still roll back the one hardware cohort that fails, which is the finer brake. Judged
 * mid-wave, the first failures of a bad cohort would pause the whole rollout before that cohort's rollback
 * arrived. Once the soak is over, whatever still fails in the active cohorts pauses the rollout.
 */
public final class WaveJudge {
    public enum Verdict {
        /** failure ratio of the soaked wave above the error threshold: pause the rollout */
        PAUSE,
        /** failure ratio of the soaked wave above the error threshold, and its error action is ABORT */
        ABORT,
        /** enough devices finished: soak */
        SOAK,
        /** the soak is over and the wave is healthy: start the next wave */
        ADVANCE,
        /** keep waiting for reports */
        WAIT
    }

    /** Counters of one wave over its active cohorts. */
    public record WaveProgress(long devices, long succeeded, long failed, long canceled, long expired) {
        public long finished() {
            return succeeded + failed + canceled + expired;
        }
    }

    private WaveJudge() {
    }

    /** A running wave soaks once enough of its devices finished (success, failure, canceled or expired). */
    public static Verdict whileRunning(WaveProgress progress, double successThreshold) {
        // a wave whose every cohort was rolled back has nothing left to wait for
        if (progress.devices() == 0 || (double) progress.finished() / progress.devices() >= successThreshold) {
            return Verdict.SOAK;
        }
        return Verdict.WAIT;
    }

    /**
     * The wave's timeout passed: it soaks whatever is still pending, so devices that stay offline never block it.
     * Pending devices count neither as failed nor as finished; {@link #afterSoak} judges the wave on what finished.
     */
    public static Verdict atTimeout(WaveProgress progress) {
        return Verdict.SOAK;
    }

    /**
     * @param errorsAccepted the operator resumed this wave after it paused: its failures no longer pause it
     */
    public static Verdict afterSoak(WaveProgress progress, double errorThreshold, int minSampleSize,
            boolean errorsAccepted) {
        return afterSoak(progress, errorThreshold, minSampleSize, errorsAccepted, ErrorAction.PAUSE);
    }

    /**
     * A soaked wave whose failure ratio (failed / (succeeded + failed), over at least {@code minSampleSize} judged
     * devices — or all of a smaller wave's) exceeds {@code errorThreshold} trips its {@code errorAction}: PAUSE or
     * ABORT; otherwise it ADVANCEs. {@code minSampleSize} is the rollout's {@code errorMinSample}, not the rollback
     * policy's sample: raising one never switches the other off.
     *
     * @param errorsAccepted the operator resumed this wave after it paused: its failures no longer stop it
     */
    public static Verdict afterSoak(WaveProgress progress, double errorThreshold, int minSampleSize,
            boolean errorsAccepted, ErrorAction errorAction) {
        long judged = progress.succeeded() + progress.failed();
        long sample = Math.min(minSampleSize, Math.max(1, progress.devices()));
        if (!errorsAccepted && judged > 0 && judged >= sample && failureRatio(progress) > errorThreshold) {
            return errorAction == ErrorAction.ABORT ? Verdict.ABORT : Verdict.PAUSE;
        }
        return Verdict.ADVANCE;
    }

    /** failed / (succeeded + failed): pending, canceled and expired devices count for neither; 0 with none judged. */
    public static double failureRatio(WaveProgress progress) {
        long judged = progress.succeeded() + progress.failed();
        return judged == 0 ? 0 : (double) progress.failed() / judged;
    }
}
