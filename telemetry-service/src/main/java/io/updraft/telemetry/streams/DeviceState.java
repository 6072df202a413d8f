package io.updraft.telemetry.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * What the topology keeps per device: the rollout, wave, cohort and release its health counts for ({@code rolloutId}
 * null when none), the last install results it counted (a result republished under a new event id counts once), and
 * its health on the release it currently runs (the baseline it brings to the next rollout).
 */
public record DeviceState(String rolloutId, String cohort, int wave, String release, List<Long> countedActions,
        long reportsOnRelease, long crashesOnRelease) {
    /** Enough to recognise a republished result; a device finishes few actions. */
    static final int COUNTED_ACTIONS_KEPT = 16;

    public static final DeviceState UNKNOWN = new DeviceState(null, null, 0, null, List.of(), 0, 0);

    public DeviceState {
        countedActions = countedActions == null ? List.of() : List.copyOf(countedActions);
    }

    public boolean attributed() {
        return rolloutId != null;
    }

    public boolean counted(long actionId) {
        return countedActions.contains(actionId);
    }

    public DeviceState withCounted(long actionId) {
        List<Long> actions = new ArrayList<>(countedActions);
        actions.add(actionId);
        while (actions.size() > COUNTED_ACTIONS_KEPT) {
            actions.remove(0);
        }
        return new DeviceState(rolloutId, cohort, wave, release, actions, reportsOnRelease, crashesOnRelease);
    }

    /** Runs the rollout's release from now on: its health speaks for that cohort, and a new baseline starts. */
    public DeviceState runs(String rolloutId, String cohort, int wave, String release) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, 0, 0);
    }

    /** Back on (or still on) a release outside any judged rollout. */
    public DeviceState detached() {
        return new DeviceState(null, null, 0, null, countedActions, 0, 0);
    }

    public DeviceState withHealth(int crashes) {
        return new DeviceState(rolloutId, cohort, wave, release, countedActions, reportsOnRelease + 1,
                crashesOnRelease + Math.max(0, crashes));
    }
}
