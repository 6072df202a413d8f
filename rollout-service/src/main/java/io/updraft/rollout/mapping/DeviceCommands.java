package io.updraft.rollout.mapping;

import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.repository.CatalogRelease;
import io.updraft.rollout.repository.DeviceAction;
import io.updraft.rollout.repository.Rollout;

/** Turns stored actions into the commands the gateway delivers. */
public final class DeviceCommands {
    private DeviceCommands() {
    }

    public static InstallRequested install(DeviceAction action, CatalogRelease release, Rollout rollout) {
        return new InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, action.deviceId(),
                action.actionId(), action.rolloutId(), action.wave(), action.cohort(), release.releaseId(),
                release.name(), release.version(), release.artifacts(), rollout.actionType, null, action.rollback(),
                null, null);
    }

    public static CancelRequested cancel(DeviceAction action, String reason) {
        return new CancelRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, action.deviceId(),
                action.actionId(), action.rolloutId(), reason);
    }
}
