package io.updraft.release.signing;

import io.updraft.release.config.SigningConfig;
import io.updraft.release.signing.TrustedKeys.TrustedKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks artifact signatures against the trusted keys configured in the service. Accepts what openssl produces:
 * a detached CMS/PKCS#7 signature ({@code openssl cms -sign -binary -outform DER}, DER or PEM — what SWUpdate
 * uses), or a plain signature ({@code openssl dgst -sha256 -sign key.pem}, RSA or ECDSA). Content is streamed
 * from the spooled file, never loaded into memory.
 */
@ApplicationScoped
public class SignatureVerifier {
    private final List<TrustedKey> keys;
    private final boolean required;

    @Inject
    public SignatureVerifier(SigningConfig config) {
        this(TrustedKeys.read(config.trustedKeys().orElse(List.of()).stream().map(Path::of).toList()),
                config.required());
    }

    public SignatureVerifier(List<TrustedKey> keys, boolean required) {
        this.keys = List.copyOf(keys);
        this.required = required;
    }

    public boolean hasTrustedKeys() {
        return !keys.isEmpty();
    }

    public boolean required() {
        return required;
    }

    /** @return the subject of the trusted key that signed {@code file}, empty when no trusted key did */
    public Optional<String> verifyDetached(Path file, byte[] signature) throws IOException {
        byte[] der = unPem(signature);
        Optional<CMSSignedData> cms = cms(new CMSProcessableFile(file.toFile()), der);
        if (cms.isPresent()) {
            return signerOf(cms.get());
        }
        for (TrustedKey key : keys) {
            if (plainSignatureValid(key, file, der)) {
                return Optional.of(key.subject());
            }
        }
        return Optional.empty();
    }

    /** Verifies a signed SWU's {@code sw-description.sig} (CMS) over its {@code sw-description}. */
    public Optional<String> verifyDescription(SwuArchive.SignedDescription swu) {
        return cms(new CMSProcessableByteArray(swu.description()), unPem(swu.signature()))
                .flatMap(this::signerOf);
    }

    private static Optional<CMSSignedData> cms(CMSProcessable content, byte[] der) {
        try {
            return Optional.of(new CMSSignedData(content, der));
        } catch (CMSException | RuntimeException notCms) {
            return Optional.empty();
        }
    }

    private Optional<String> signerOf(CMSSignedData signed) {
        for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
            for (TrustedKey key : keys) {
                try {
                    if (signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(key.key()))) {
                        return Optional.of(key.subject());
                    }
                } catch (CMSException | OperatorCreationException | RuntimeException wrongKeyOrTampered) {
                    // a digest mismatch or a key of another type: not this key
                }
            }
        }
        return Optional.empty();
    }

    private static boolean plainSignatureValid(TrustedKey key, Path file, byte[] signature) throws IOException {
        String algorithm = switch (key.key().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null; // EdDSA signs the whole message at once: not for multi-gigabyte images
        };
        if (algorithm == null) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key.key());
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                verifier.update(buffer, 0, read);
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException malformed) {
            return false;
        }
    }

    /** A PEM-armoured signature (-----BEGIN CMS/PKCS7/SIGNATURE-----) becomes DER; anything else is taken as is. */
    private static byte[] unPem(byte[] signature) {
        String text = new String(signature, StandardCharsets.US_ASCII);
        if (!text.startsWith("-----BEGIN ")) {
            return signature;
        }
        StringBuilder base64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----") && !line.isBlank()) {
                base64.append(line.strip());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            return signature;
        }
    }
}
