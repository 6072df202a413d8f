package io.updraft.gateway.api.mapping;

import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.gateway.domain.DeltaSelection;
import io.updraft.gateway.domain.MaintenanceSchedule;
import io.updraft.gateway.api.ddi.DdiDeploymentBase;
import io.updraft.gateway.api.ddi.DdiDeploymentBase.Chunk;
import io.updraft.gateway.api.ddi.DdiDeploymentBase.DdiArtifact;
import io.updraft.gateway.api.ddi.DdiLink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** InstallRequested → DDI deploymentBase. Pure, so every action type is unit-tested without a server. */
public final class DeploymentMapper {
    private DeploymentMapper() {
    }

    /** The deployment as a device that cannot use deltas sees it (only full files). */
    public static DdiDeploymentBase toDeploymentBase(InstallRequested command, DdiLinks links, Instant now) {
        return toDeploymentBase(command, links, now, false);
    }

    /** @param deltaDevice the device reported {@code update.delta = zchunk} ({@link DeltaSelection}) */
    public static DdiDeploymentBase toDeploymentBase(InstallRequested command, DdiLinks links, Instant now,
            boolean deltaDevice) {
        return toDdi(command, links, now, "RUNNING", deltaDevice);
    }

    /** A finished action as hawkBit's installedBase shows it, with the files the device was offered. */
    public static DdiDeploymentBase toInstalledBase(InstallRequested command, DdiLinks links, Instant now,
            boolean deltaDevice) {
        return toDdi(command, links, now, "FINISHED", deltaDevice);
    }

    /** Chunks per part of the offered files; a part left with none is no chunk. */
    private static DdiDeploymentBase toDdi(InstallRequested command, DdiLinks links, Instant now, String status,
            boolean deltaDevice) {
        String[] handling = handling(command, now);
        Map<String, List<DdiArtifact>> byPart = new LinkedHashMap<>();
        for (ArtifactRef ref : DeltaSelection.offered(command.artifacts(), deltaDevice)) {
            byPart.computeIfAbsent(ref.part(), part -> new java.util.ArrayList<>()).add(toArtifact(ref, links));
        }
        List<Chunk> chunks = byPart.entrySet().stream()
                .map(e -> new Chunk(e.getKey(), command.version(), command.releaseName(), List.copyOf(e.getValue())))
                .toList();
        return new DdiDeploymentBase(Long.toString(command.actionId()),
                new DdiDeploymentBase.Deployment(handling[0], handling[1], maintenanceWindow(command, now), chunks),
                new DdiDeploymentBase.ActionHistory(status, List.of()));
    }

    /** "available" / "unavailable" for an action with a window; null (left out) for one without. */
    static String maintenanceWindow(InstallRequested command, Instant now) {
        if (command.maintenanceWindow() == null) {
            return null;
        }
        return windowOpen(command, now) ? "available" : "unavailable";
    }

    private static boolean windowOpen(InstallRequested command, Instant now) {
        if (command.maintenanceWindow() == null) {
            return true;
        }
        try {
            return MaintenanceSchedule.of(command.maintenanceWindow()).isOpen(now);
        } catch (IllegalArgumentException e) {
            return false; // checked when the command arrived; never install outside a window we cannot read
        }
    }

    /**
     * @return {download, update} handling as hawkBit derives it from the action type; a closed maintenance window
     *         turns the update into skip (the download may go ahead)
     */
    static String[] handling(InstallRequested command, Instant now) {
        String[] byType = byType(command, now);
        return windowOpen(command, now) ? byType : new String[] { byType[0], "skip" };
    }

    private static String[] byType(InstallRequested command, Instant now) {
        return switch (command.actionType()) {
            case FORCED -> new String[] { "forced", "forced" };
            case SOFT -> new String[] { "attempt", "attempt" };
            case DOWNLOAD_ONLY -> new String[] { "forced", "skip" };
            case TIMEFORCED -> command.deadline() != null && !now.isBefore(command.deadline())
                    ? new String[] { "forced", "forced" }
                    : new String[] { "attempt", "attempt" };
        };
    }

    public static DdiArtifact toArtifact(ArtifactRef ref, DdiLinks links) {
        String href = links.artifact(ref.artifactId(), ref.filename());
        Map<String, DdiLink> hrefs = new LinkedHashMap<>();
        // Same URL for the https and http names: TLS, if any, is terminated in front of the gateway.
        hrefs.put("download", new DdiLink(href));
        hrefs.put("download-http", new DdiLink(href));
        hrefs.put("md5sum", new DdiLink(href + ".MD5SUM"));
        hrefs.put("md5sum-http", new DdiLink(href + ".MD5SUM"));
        return new DdiArtifact(ref.filename(), new DdiDeploymentBase.Hashes(ref.sha1(), ref.md5(), ref.sha256()),
                ref.size(), hrefs);
    }
}
