package io.updraft.rollout.service;

import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.Rollout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/** Turns stored actions into the commands the gateway delivers. */
public final class DeviceCommands {
    private DeviceCommands() {
    }

    public static InstallRequested install(DeviceAction action, CatalogRelease release, Rollout rollout) {
        return new InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, action.deviceId(),
                action.actionId(), action.rolloutId(), action.wave(), action.cohort(), release.releaseId(),
                release.name(), release.version(), release.artifacts(), rollout.actionType, null, action.rollback(),
                null, null, rollout.confirmationRequired && !action.rollback(),
                action.rollback() ? null : confirmBy(rollout, EventMeta.now()));
    }

    /**
     * A wave install sent through the outbox rather than by the dispatcher: a retry ({@code actionId} = the new
     * attempt of {@code action}) or a device that joined a started wave. Its event id is the one the dispatcher
     * derives for the action, so if the wave's dispatcher also streams it, the gateway's inbox drops the second copy.
     * The deadline counts from now; the maintenance window is the rollout's.
     */
    public static InstallRequested waveInstall(DeviceAction action, long actionId, CatalogRelease release,
            Rollout rollout) {
        Instant now = EventMeta.now();
        return new InstallRequested(installEventId(actionId), now, UpdraftEvent.SCHEMA_VERSION,
                action.deviceId(), actionId, action.rolloutId(), action.wave(), action.cohort(), release.releaseId(),
                release.name(), release.version(), release.artifacts(), rollout.actionType, null, false,
                rollout.actionDeadlineMillis == null ? null : now.plusMillis(rollout.actionDeadlineMillis),
                rollout.maintenanceWindow(), rollout.confirmationRequired, confirmBy(rollout, now));
    }

    /** The instant by which a device must answer an install of {@code rollout} sent at {@code sent}; null: none. */
    public static Instant confirmBy(Rollout rollout, Instant sent) {
        return rollout.confirmationRequired && rollout.confirmationDeadlineMillis != null
                ? sent.plusMillis(rollout.confirmationDeadlineMillis)
                : null;
    }

    /**
     * The event id of an action's InstallRequested: the same action always gets the same one, so a chunk the
     * dispatcher re-sends after a crash, or a wave install it streams that the outbox sent too, is dropped by the
     * gateway's inbox.
     */
    public static String installEventId(long actionId) {
        // UUID.nameUUIDFromBytes's version 3 UUID, with a digest per thread instead of a provider lookup per call:
        // the dispatcher derives one per command
        MessageDigest md5 = MD5.get();
        byte[] hash = md5.digest(("InstallRequested:" + actionId).getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30); // version 3
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (hash[i] & 0xff);
            least = (least << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(most, least).toString();
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    });

    public static CancelRequested cancel(DeviceAction action, String reason) {
        return new CancelRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, action.deviceId(),
                action.actionId(), action.rolloutId(), reason);
    }
}
