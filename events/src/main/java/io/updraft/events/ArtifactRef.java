package io.updraft.events;

/**
 * One artifact of a release as every service sees it. {@code part} is the software module (os, app, ...).
 * The bytes stay in the release-service; the gateway streams them to devices by {@code artifactId}.
 */
public record ArtifactRef(long artifactId, String part, String filename, long size, String sha256, String sha1,
        String md5) {
}
