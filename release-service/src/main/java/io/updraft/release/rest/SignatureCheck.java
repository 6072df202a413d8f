package io.updraft.release.rest;

import io.updraft.release.signing.SignatureVerifier;
import io.updraft.release.signing.SwuArchive;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The signature policy of a publish: a detached signature, when sent, must verify against a trusted key; without
 * one, a signed SWU's embedded sw-description.sig is checked when trusted keys are configured; with
 * {@code updraft.signing.required} an artifact must carry one or the other. Every refusal is a 422 and stores nothing.
 */
@ApplicationScoped
public class SignatureCheck {
    private static final long MAX_SIGNATURE = 64 * 1024;

    @Inject
    SignatureVerifier verifier;

    /** @return the subject of the trusted key that signed the artifact, or null when it is unsigned (and allowed) */
    public String check(String filename, Path artifact, Path detachedSignature) {
        try {
            if (detachedSignature != null) {
                requireKeys(filename);
                if (Files.size(detachedSignature) > MAX_SIGNATURE) {
                    throw ProblemException.badRequest("the signature of " + filename + " is larger than 64 KiB");
                }
                return verifier.verifyDetached(artifact, Files.readAllBytes(detachedSignature))
                        .orElseThrow(() -> invalid(filename, "its detached signature"));
            }
            Optional<SwuArchive.SignedDescription> swu = SwuArchive.signedDescription(artifact);
            if (swu.isPresent() && verifier.hasTrustedKeys()) {
                return verifier.verifyDescription(swu.get())
                        .orElseThrow(() -> invalid(filename, "its " + SwuArchive.SIGNATURE));
            }
            if (verifier.required()) {
                requireKeys(filename);
                throw ProblemException.unprocessable(filename + " is not signed, and this service accepts signed"
                        + " artifacts only: send a detached 'signature' part or a signed SWU");
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload of " + filename, e);
        }
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
