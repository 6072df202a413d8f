package io.updraft.rollout.service;

import io.updraft.events.HardwareCompatibility;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.rollout.domain.JoiningWave;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.WaveRow;
import io.updraft.rollout.domain.WaveState;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.rollout.persistence.DeviceInventory;
import io.updraft.rollout.persistence.MembershipRepository;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;

/**
 * Dynamic rollouts: a device that registers, or whose attributes or installed version change so that it now matches
 * a dynamic rollout's target, filter and hardware, joins that rollout's running wave (its install is sent in this
 * transaction) or its next wave not yet started. Decided in the report's transaction under the rollout row lock, so
 * the device joins once whatever the redeliveries ({@code rollout_device}'s key; one install per attempt).
 */
@ApplicationScoped
public class DynamicMembership {
    @Inject
    MembershipRepository memberships;
    @Inject
    DeviceInventory inventory;
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    Outbox outbox;

    @Transactional(Transactional.TxType.MANDATORY)
    public void deviceChanged(String deviceId) {
        List<String> candidates = memberships.unfinishedDynamic();
        if (candidates.isEmpty()) {
            return;
        }
        InventoryDevice device = inventory.find(deviceId).orElse(null);
        if (device == null || device.model() == null) {
            return;
        }
        for (String rolloutId : candidates) {
            if (!memberships.isMember(rolloutId, deviceId)) {
                rollouts.lock(rolloutId).ifPresent(rollout -> consider(rollout, device));
            }
        }
    }

    private void consider(Rollout rollout, InventoryDevice device) {
        if (!rollout.dynamic || rollout.state.isFinal()) {
            return;
        }
        CatalogRelease release = catalog.find(rollout.releaseId).orElseThrow();
        if (!matches(rollout, release, device)) {
            return;
        }
        String cohort = HardwareCompatibility.cohortOf(device.model(), device.revision());
        if (memberships.cohortState(rollout.id, cohort).filter(s -> !CohortState.ACTIVE.name().equals(s)).isPresent()) {
            return; // that cohort was rolled back: no new device of it gets the release
        }
        List<WaveState> states = waves.waves(rollout.id).stream().map(WaveRow::state).toList();
        JoiningWave.choose(rollout.state, rollout.currentWave, states).ifPresent(join -> {
            if (memberships.join(rollout.id, device, join.wave(), cohort, stratum(rollout, cohort, device))
                    && join.started()) {
                memberships.scheduleInstall(rollout.id, device.deviceId(), join.wave(), cohort, release.releaseId(),
                        release.version())
                        .ifPresent(action -> outbox.append(
                                DeviceCommands.waveInstall(action, action.actionId(), release, rollout)));
            }
        });
    }

    /** The rollout's selection, evaluated in Java ({@code Filter.matches} is the reference FilterSql follows). */
    static boolean matches(Rollout rollout, CatalogRelease release, InventoryDevice device) {
        Map<String, String> target = JsonColumns.attributes(rollout.target);
        Map<String, String> attributes = device.attributes();
        return attributes.entrySet().containsAll(target.entrySet())
                && (rollout.filter == null || FilterParser.parse(rollout.filter).matches(attributes,
                        device.installedVersion()))
                && release.accepts(device.model(), device.revision())
                && !release.releaseId().equals(device.installedReleaseId());
    }

    /** Same stratum text as creation's SQL: {@code "gw-200:1.0 region=eu"}; null without cohortBy. */
    private static String stratum(Rollout rollout, String cohort, InventoryDevice device) {
        List<String> cohortBy = rollout.cohortBy == null ? List.of() : JsonColumns.names(rollout.cohortBy);
        if (cohortBy.isEmpty()) {
            return null;
        }
        StringBuilder stratum = new StringBuilder(cohort);
        cohortBy.forEach(name -> stratum.append(' ').append(name).append('=')
                .append(device.attributes().getOrDefault(name, "-")));
        return stratum.toString();
    }
}
