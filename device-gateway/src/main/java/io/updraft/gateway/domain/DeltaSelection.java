package io.updraft.gateway.domain;

import io.updraft.events.ArtifactRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of an action's files a device is offered, from its reported attributes (issue 22). A device reporting
 * {@code update.delta = zchunk} gets, per part, only the part's {@code delta} files when it has any, else all of the
 * part's files (full and .zck: the agent chooses). Any other device gets only {@code full} files: never a .zck, never a
 * delta .swu it could not apply.
 */
public final class DeltaSelection {
    public static final String ATTRIBUTE = "update.delta";
    public static final String ZCHUNK = "zchunk";

    private DeltaSelection() {
    }

    public static boolean canUseDelta(Map<String, String> attributes) {
        return attributes != null && ZCHUNK.equals(attributes.get(ATTRIBUTE));
    }

    /** The offered files, in the command's order. */
    public static List<ArtifactRef> offered(List<ArtifactRef> artifacts, boolean deltaDevice) {
        if (!deltaDevice) {
            return artifacts.stream().filter(a -> ArtifactRef.FULL.equals(a.effectiveRole())).toList();
        }
        Map<String, Boolean> partHasDelta = new LinkedHashMap<>();
        for (ArtifactRef a : artifacts) {
            partHasDelta.merge(a.part(), ArtifactRef.DELTA.equals(a.effectiveRole()), Boolean::logicalOr);
        }
        List<ArtifactRef> offered = new ArrayList<>();
        for (ArtifactRef a : artifacts) {
            if (!partHasDelta.get(a.part()) || ArtifactRef.DELTA.equals(a.effectiveRole())) {
                offered.add(a);
            }
        }
        return offered;
    }
}
