package io.updraft.gateway.domain;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import java.util.List;

/** Builds the reports about an action from the command it came from: rollout, wave, cohort travel along. */
public final class ActionReports {
    private ActionReports() {
    }

    public static DeviceReport.ActionProgressed progressed(InstallRequested command, String execution,
            List<String> details) {
        return new DeviceReport.ActionProgressed(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(), execution, details);
    }

    /** @param afterInstalled the device had reported the image installed: a failure now is a boot failure */
    public static DeviceReport.ActionFinished finished(InstallRequested command, DeviceReport.Outcome outcome,
            List<String> details, boolean afterInstalled) {
        return new DeviceReport.ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.wave(), command.cohort(),
                command.releaseId(), command.version(), command.rollback(), outcome, details, afterInstalled);
    }

    public static DeviceReport.ActionCanceled canceled(InstallRequested command) {
        return new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort());
    }

    /** The action ended canceled, with the operator who asked for it at the gateway and their reason, if one did. */
    public static DeviceReport.ActionCanceled canceled(DeviceAction action) {
        InstallRequested command = action.install();
        return new DeviceReport.ActionCanceled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(),
                action.cancelRequestedBy, action.cancelReason);
    }

    public static DeviceReport.ActionDenied denied(InstallRequested command, Integer code, List<String> details) {
        return new DeviceReport.ActionDenied(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(), code, details);
    }

    public static DeviceReport.ActionExpired expired(InstallRequested command) {
        return expired(command, null);
    }

    /** @param reason null (the action's expiresAt) or ActionExpired.CONFIRMATION_DEADLINE */
    public static DeviceReport.ActionExpired expired(InstallRequested command, String reason) {
        return new DeviceReport.ActionExpired(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(), reason);
    }
}
