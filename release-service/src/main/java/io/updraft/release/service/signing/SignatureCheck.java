package io.updraft.release.service.signing;

import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.service.signing.SignatureVerifier;
import io.updraft.release.service.signing.SwuArchive;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The signature policy of a publish: a detached signature, when sent, must verify against a trusted key; without
 * one, a signed SWU's embedded sw-description.sig is checked when trusted keys are configured; with
 * {@code updraft.signing.required} an artifact must carry one or the other. Every refusal is a 422 and stores nothing.
 * The embedded signature is looked at where the bytes are spooled ({@link #embedded}, reading only the SWU's first
 * entries); the detached one against the digests computed while the bytes arrived.
 */
@ApplicationScoped
public class SignatureCheck {
    public static final int MAX_SIGNATURE = 64 * 1024;

    @Inject
    SignatureVerifier verifier;

    /** What an artifact's own bytes say about its signature: a signed SWU's sw-description.sig, checked. */
    public record Embedded(boolean present, String signer) {
        public static final Embedded NONE = new Embedded(false, null);

        /** A signed SWU whose embedded signature does not verify against any trusted key. */
        public boolean invalid() {
            return present && signer == null;
        }
    }

    /** Reads the embedded signature of a spooled artifact (only a signed SWU has one; not checked without keys). */
    public Embedded embedded(Path spooled) {
        try {
            Optional<SwuArchive.SignedDescription> swu = SwuArchive.signedDescription(spooled);
            if (swu.isEmpty() || !verifier.hasTrustedKeys()) {
                return Embedded.NONE;
            }
            return new Embedded(true, verifier.verifyDescription(swu.get()).orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload " + spooled, e);
        }
    }

    /**
     * @param local the artifact's bytes when at hand on this machine (a spooled multipart file), or null
     * @param detachedSignature the detached signature sent with the artifact, or null
     * @return the subject of the trusted key that signed the artifact, or null when it is unsigned (and allowed)
     */
    public String check(String filename, ArtifactHashes hashes, Path local, byte[] detachedSignature,
            Embedded embedded) {
        if (detachedSignature != null) {
            requireKeys(filename);
            if (detachedSignature.length > MAX_SIGNATURE) {
                throw ProblemException.badRequest("the signature of " + filename + " is larger than 64 KiB");
            }
            return verifier.verifyDetached(hashes, local, detachedSignature)
                    .orElseThrow(() -> invalid(filename, "its detached signature"));
        }
        if (embedded.present()) {
            if (embedded.invalid()) {
                throw invalid(filename, "its " + SwuArchive.SIGNATURE);
            }
            return embedded.signer();
        }
        if (verifier.required()) {
            requireKeys(filename);
            throw ProblemException.unprocessable(filename + " is not signed, and this service accepts signed"
                    + " artifacts only: send a detached 'signature' part or a signed SWU");
        }
        return null;
    }

    private void requireKeys(String filename) {
        if (!verifier.hasTrustedKeys()) {
            throw ProblemException.unprocessable("cannot verify the signature of " + filename + ": no trusted keys"
                    + " are configured (updraft.signing.trusted-keys); nothing was stored");
        }
    }

    private static ProblemException invalid(String filename, String what) {
        return ProblemException.unprocessable(what + " does not verify " + filename + " against any trusted key"
                + " (wrong key, or the file was altered); nothing was stored");
    }
}
