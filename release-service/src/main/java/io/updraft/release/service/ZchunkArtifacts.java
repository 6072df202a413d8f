package io.updraft.release.service;

import io.updraft.release.domain.ArtifactZchunk;
import io.updraft.release.service.storage.InvalidZchunkException;
import io.updraft.release.service.storage.Spool;
import io.updraft.support.problem.ProblemException;
import java.util.Locale;

/**
 * The rule for .zck artifacts: bytes starting with the zchunk magic are verified while they arrive (by the spool), and
 * a file named {@code *.zck} must be one. The answer to a refusal is the same for a publish and an upload PUT.
 */
public final class ZchunkArtifacts {
    public static final String SUFFIX = ".zck";

    private ZchunkArtifacts() {
    }

    /** The verified index of a spooled file, null when it is not a zchunk file; 422 for a .zck name without one. */
    public static ArtifactZchunk of(String filename, Spool.SpooledFile spooled) {
        if (spooled.zchunk() != null) {
            return ArtifactZchunk.of(spooled.zchunk());
        }
        if (filename != null && filename.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
            throw ProblemException.unprocessable(filename + " is named like a zchunk file but its bytes do not start"
                    + " with the zchunk magic \\0ZCK1; nothing was stored");
        }
        return null;
    }

    public static ProblemException refused(String what, InvalidZchunkException e) {
        return ProblemException.unprocessable(what + " is not a valid zchunk file (" + e.reason() + "): "
                + e.getMessage() + "; nothing was stored");
    }
}
