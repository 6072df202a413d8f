package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * One artifact of a release as every service sees it. {@code part} is the software module (os, app, ...).
 * The bytes stay in the release-service; the gateway streams them to devices by {@code artifactId}.
 *
 * <p>{@code role} (optional; absent in events written before it existed, and then read as null) says which devices
 * are offered the file: {@link #FULL} (the default), {@link #DELTA} (a delta .swu, offered instead of the full files
 * to devices that can use it) or {@link #DELTA_SOURCE} (a {@code .zck} a delta handler fetches chunks from; every
 * {@code .zck} is one, whatever was said). Use {@link #effectiveRole()} rather than the raw field.
 */
public record ArtifactRef(long artifactId, String part, String filename, long size, String sha256, String sha1,
        String md5, @JsonInclude(JsonInclude.Include.NON_NULL) String role) {
    public static final String FULL = "full";
    public static final String DELTA = "delta";
    public static final String DELTA_SOURCE = "delta-source";

    /** An artifact without a stated role (a full file, or delta-source if it is a {@code .zck}). */
    public ArtifactRef(long artifactId, String part, String filename, long size, String sha256, String sha1,
            String md5) {
        this(artifactId, part, filename, size, sha256, sha1, md5, null);
    }

    /** The role the file plays: a {@code .zck} is always delta-source; no role stated means full. */
    @JsonIgnore
    public String effectiveRole() {
        if (filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".zck")) {
            return DELTA_SOURCE;
        }
        return role == null ? FULL : role;
    }
}
