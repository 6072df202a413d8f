package io.updraft.gateway.api.mapping;

/** Absolute hrefs below one device's DDI base, {@code {root}/{tenant}/controller/v1/{controllerId}}. */
public record DdiLinks(String base) {

    public static DdiLinks of(String root, String tenant, String controllerId) {
        String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        return new DdiLinks(trimmed + "/" + tenant + "/controller/v1/" + controllerId);
    }

    public String deploymentBase(long actionId, String linkHash) {
        return base + "/deploymentBase/" + actionId + "?c=" + linkHash;
    }

    public String confirmationBase(long actionId, String linkHash) {
        return base + "/confirmationBase/" + actionId + "?c=" + linkHash;
    }

    public String confirmationBase() {
        return base + "/confirmationBase";
    }

    public String cancelAction(long actionId) {
        return base + "/cancelAction/" + actionId;
    }

    public String installedBase(long actionId) {
        return base + "/installedBase/" + actionId;
    }

    public String configData() {
        return base + "/configData";
    }

    public String artifact(long artifactId, String filename) {
        return base + "/softwaremodules/" + artifactId + "/artifacts/" + filename;
    }
}
