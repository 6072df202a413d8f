package io.updraft.rollout.domain;

import java.util.List;
import java.util.Optional;

/**
 * Which wave a device joins when it starts matching a dynamic rollout after its creation: the running wave, or else
 * the next wave that has not started — never a wave already judged, and nothing is sent while the rollout is paused.
 */
public final class JoiningWave {
    /** @param started the wave has started already: the device's install is sent now */
    public record Join(int wave, boolean started) {
    }

    private JoiningWave() {
    }

    /** @param waves the state of every wave, wave 1 first */
    public static Optional<Join> choose(RolloutState state, int currentWave, List<WaveState> waves) {
        if (state.isFinal()) {
            return Optional.empty();
        }
        WaveState current = waves.get(currentWave - 1);
        if (current == WaveState.PENDING) {
            // scheduled, or waiting for the approval of this wave: it takes the device when it starts
            return Optional.of(new Join(currentWave, false));
        }
        if (state == RolloutState.RUNNING && current == WaveState.RUNNING) {
            return Optional.of(new Join(currentWave, true));
        }
        for (int wave = currentWave + 1; wave <= waves.size(); wave++) {
            if (waves.get(wave - 1) == WaveState.PENDING) {
                return Optional.of(new Join(wave, false));
            }
        }
        // the last wave soaks: it still takes late devices, as long as the rollout is not paused
        if (state == RolloutState.RUNNING && current == WaveState.SOAKING) {
            return Optional.of(new Join(currentWave, true));
        }
        return Optional.empty();
    }
}
