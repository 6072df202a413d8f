package io.updraft.release.service.signing;

import io.updraft.release.config.SigningConfig;
import io.updraft.release.service.signing.TrustedKeys.TrustedKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.updraft.release.domain.ArtifactHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
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
 * uses), or a plain signature ({@code openssl dgst -sha256 -sign key.pem}, RSA or ECDSA). The artifact is not
 * read again: both kinds are verified against the sha256 (CMS also sha1/md5) computed while the upload arrived. Only a
 * CMS signature made with another digest (e.g. {@code -md sha512}) streams the file once more, when it is local.
 */
@ApplicationScoped
public class SignatureVerifier {
    /** DER prefix of a DigestInfo for SHA-256 (RFC 8017 §9.2 note 1); the 32 digest bytes follow. */
    private static final byte[] SHA256_DIGEST_INFO = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

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
        return verifyDetached(ArtifactHashes.of(file), file, signature);
    }

    /**
     * @param hashes what the artifact's bytes hash to, computed while they arrived
     * @param file the artifact's bytes when they are at hand locally (only read for a CMS digest other than
     *        sha256/sha1/md5), or null
     * @return the subject of the trusted key that signed the artifact, empty when no trusted key did
     */
    public Optional<String> verifyDetached(ArtifactHashes hashes, Path file, byte[] signature) {
        byte[] der = unPem(signature);
        Optional<CMSSignedData> cms = cmsOverDigests(hashes, der);
        if (cms.isEmpty() && file != null && isCms(der)) {
            cms = cms(new CMSProcessableFile(file.toFile()), der);
        }
        if (cms.isPresent()) {
            return signerOf(cms.get());
        }
        for (TrustedKey key : keys) {
            if (plainSignatureValid(key, hashes.sha256Bytes(), der)) {
                return Optional.of(key.subject());
            }
        }
        return Optional.empty();
    }

    /** A detached CMS signature whose signers all used a digest we already computed, checked against those digests. */
    private static Optional<CMSSignedData> cmsOverDigests(ArtifactHashes hashes, byte[] der) {
        Map<Object, byte[]> digests = new HashMap<>();
        digests.put(NISTObjectIdentifiers.id_sha256, hashes.sha256Bytes());
        digests.put(OIWObjectIdentifiers.idSHA1, hashes.sha1Bytes());
        digests.put(PKCSObjectIdentifiers.md5, hashes.md5Bytes());
        try {
            CMSSignedData structure = new CMSSignedData(der);
            boolean known = !structure.getSignerInfos().getSigners().isEmpty() && structure.getSignerInfos()
                    .getSigners().stream().allMatch(s -> digests.containsKey(s.getDigestAlgorithmID().getAlgorithm()));
            if (!known) {
                return Optional.empty();
            }
            // BouncyCastle looks the digests up by OID; older releases keyed them by the OID's string form
            new HashMap<>(digests).forEach((oid, digest) -> digests.put(oid.toString(), digest));
            return Optional.of(new CMSSignedData(digests, der));
        } catch (CMSException | RuntimeException notCms) {
            return Optional.empty();
        }
    }

    private static boolean isCms(byte[] der) {
        try {
            new CMSSignedData(der);
            return true;
        } catch (CMSException | RuntimeException notCms) {
            return false;
        }
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

    /**
     * {@code openssl dgst -sha256 -sign}: RSA PKCS#1 v1.5 over the DER DigestInfo of the sha256, or ECDSA over the
     * sha256 itself; checked with the raw ("NONEwith…") algorithms against the digest computed during the upload.
     */
    private static boolean plainSignatureValid(TrustedKey key, byte[] sha256, byte[] signature) {
        byte[] signed = switch (key.key().getAlgorithm()) {
            case "RSA" -> concat(SHA256_DIGEST_INFO, sha256);
            case "EC" -> sha256;
            default -> null; // EdDSA signs the whole message at once: not for multi-gigabyte images
        };
        if (signed == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("RSA".equals(key.key().getAlgorithm()) ? "NONEwithRSA"
                    : "NONEwithECDSA");
            verifier.initVerify(key.key());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException malformed) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
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
