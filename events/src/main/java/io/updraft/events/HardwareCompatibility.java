package io.updraft.events;

/** A hardware model and revision a release may be installed on ({@code revision} "*" means any). */
public record HardwareCompatibility(String model, String revision) {
    public static final String ANY_REVISION = "*";

    public boolean accepts(String deviceModel, String deviceRevision) {
        if (deviceModel == null || !model.equals(deviceModel)) {
            return false;
        }
        return ANY_REVISION.equals(revision) || revision.equals(deviceRevision);
    }

    /** The cohort name used everywhere: {@code model:revision}. */
    public static String cohortOf(String deviceModel, String deviceRevision) {
        return (deviceModel == null ? "unknown" : deviceModel) + ":" + (deviceRevision == null ? "unknown" : deviceRevision);
    }
}
