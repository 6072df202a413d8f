package io.updraft.rollout.domain;

import java.time.Instant;
import java.util.List;

/**
 * The health gate's current verdict on a rollout's current wave, as the API shows it.
 *
 * @param state NOT_GATED (no gate), WAITING (no window judged since the wave started), PASSING (the last window
 *        judged kept every bound), BREACHED (a window broke a bound; kept for the wave)
 * @param wave the rollout's current wave
 * @param waveState that wave's state
 * @param waveStartedAt when it started (null: not yet)
 * @param windowEnd end of the last window judged for the wave (null: none)
 * @param breach the bound broken, with the cohort and figure (BREACHED only)
 * @param bound the name of the bound broken (maxFailureRate, maxUnhealthyRatio, maxCrashesPerReport)
 * @param accepted a resume accepted the breach (the wave is no longer held by it)
 * @param holdsWave the gate holds the wave now: an unaccepted breach, or {@code requireWindow} and no window after
 *        the soak began (while running: none judged yet)
 * @param detail one sentence saying all this
 * @param cohorts each cohort's figures since the wave started (the newest window's minus the wave's baseline); empty
 *        until a window was judged for the wave
 */
public record GateVerdict(State state, int wave, String waveState, Instant waveStartedAt, Instant windowEnd,
        String breach, String bound, boolean accepted, boolean holdsWave, String detail, List<Cohort> cohorts) {

    public enum State {
        NOT_GATED, WAITING, PASSING, BREACHED
    }

    /**
     * @param judged the cohort is ACTIVE in the rollout (rolled-back cohorts are not judged)
     * @param windowEnd end of the newest window with its figures
     * @param failureRate failed / (succeeded + failed), null without installs
     * @param unhealthyRatio unhealthy / health reports, null without reports
     * @param crashesPerReport crashes / health reports, null without reports
     * @param breaks the bound these figures break (null: within bounds or sample below minReports)
     */
    public record Cohort(String cohort, boolean judged, Instant windowEnd, long succeeded, long failed,
            Double failureRate, long healthReports, long unhealthyReports, Double unhealthyRatio, long crashes,
            Double crashesPerReport, String breaks) {
    }

    public static GateVerdict notGated(int wave, String waveState) {
        return new GateVerdict(State.NOT_GATED, wave, waveState, null, null, null, null, false, false,
                "the rollout has no health gate", List.of());
    }
}
