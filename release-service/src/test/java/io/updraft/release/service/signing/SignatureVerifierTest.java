package io.updraft.release.service.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.release.domain.ArtifactHashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureVerifierTest {
    private static final byte[] IMAGE = "firmware image bytes".repeat(5_000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private SignatureVerifier verifier;
    private Path image;
    private TestSigner trusted;

    @BeforeEach
    void givenTheTestTrustAnchor() throws Exception {
        verifier = new SignatureVerifier(TrustedKeys.read(List.of(TestSigner.TRUSTED_CERT)), false);
        image = Files.write(dir.resolve("fw.swu"), IMAGE);
        trusted = TestSigner.trusted();
    }

    @Test
    void givenADetachedCmsSignatureByTheTrustedKey_whenVerifying_thenTheSignerIsNamed() throws Exception {
        assertThat(verifier.verifyDetached(image, trusted.cms(IMAGE)))
                .hasValueSatisfying(subject -> assertThat(subject).contains("updraft test release signer"));
    }

    @Test
    void givenAPemArmouredCmsSignature_whenVerifying_thenItIsAcceptedLikeDer() throws Exception {
        String pem = "-----BEGIN CMS-----\n" + Base64.getMimeEncoder().encodeToString(trusted.cms(IMAGE))
                + "\n-----END CMS-----\n";

        assertThat(verifier.verifyDetached(image, pem.getBytes(StandardCharsets.US_ASCII))).isPresent();
    }

    @Test
    void givenAPlainOpensslDgstSignature_whenVerifying_thenAccepted() throws Exception {
        assertThat(verifier.verifyDetached(image, trusted.plain(IMAGE))).isPresent();
    }

    @Test
    void givenOnlyTheDigestsComputedDuringTheUpload_whenVerifying_thenTheArtifactIsNotReadAgain() throws Exception {
        ArtifactHashes hashes = ArtifactHashes.of(image);
        Path gone = dir.resolve("not-there.swu");

        assertThat(verifier.verifyDetached(hashes, gone, trusted.cms(IMAGE))).isPresent();
        assertThat(verifier.verifyDetached(hashes, null, trusted.cms(IMAGE))).isPresent();
        assertThat(verifier.verifyDetached(hashes, null, trusted.plain(IMAGE))).isPresent();
        ArtifactHashes other = ArtifactHashes.of(new java.io.ByteArrayInputStream("other".getBytes(StandardCharsets.UTF_8)));
        assertThat(verifier.verifyDetached(other, null, trusted.cms(IMAGE))).isEmpty();
        assertThat(verifier.verifyDetached(other, null, trusted.plain(IMAGE))).isEmpty();
    }

    @Test
    void givenCmsWithoutSignedAttributesOrWithAnotherDigest_whenVerifying_thenTheDigestsOrTheLocalFileServe()
            throws Exception {
        ArtifactHashes hashes = ArtifactHashes.of(image);
        byte[] noAttributes = trusted.cms(IMAGE, "SHA256withRSA", false);
        byte[] sha512 = trusted.cms(IMAGE, "SHA512withRSA", true);

        assertThat(verifier.verifyDetached(hashes, null, noAttributes)).isPresent();
        assertThat(verifier.verifyDetached(hashes, image, sha512)).as("read from the file once more").isPresent();
        assertThat(verifier.verifyDetached(hashes, null, sha512)).as("no file at hand: cannot verify").isEmpty();
    }

    @Test
    void givenASignatureByAnUntrustedKeyOrOverOtherBytes_whenVerifying_thenRejected() throws Exception {
        TestSigner stranger = TestSigner.untrusted();
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verifyDetached(image, stranger.cms(IMAGE))).isEmpty();
        assertThat(verifier.verifyDetached(image, stranger.plain(IMAGE))).isEmpty();
        assertThat(verifier.verifyDetached(image, trusted.cms(other))).isEmpty();
        assertThat(verifier.verifyDetached(image, trusted.plain(other))).isEmpty();
        assertThat(verifier.verifyDetached(image, "garbage".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void givenASignedSwu_whenReadingAndVerifyingItsDescription_thenTheEmbeddedSignatureCounts() throws Exception {
        byte[] description = "software = { version = \"1.2.0\"; };".getBytes(StandardCharsets.UTF_8);
        Path signed = Files.write(dir.resolve("signed.swu"),
                TestSigner.swu(description, trusted.cms(description), IMAGE));
        Path forged = Files.write(dir.resolve("forged.swu"),
                TestSigner.swu(description, TestSigner.untrusted().cms(description), IMAGE));
        Path unsigned = Files.write(dir.resolve("unsigned.swu"), TestSigner.swu(description, null, IMAGE));

        SwuArchive.SignedDescription found = SwuArchive.signedDescription(signed).orElseThrow();
        assertThat(found.description()).isEqualTo(description);
        assertThat(verifier.verifyDescription(found)).isPresent();
        assertThat(verifier.verifyDescription(SwuArchive.signedDescription(forged).orElseThrow())).isEmpty();
        assertThat(SwuArchive.signedDescription(unsigned)).isEmpty();
        assertThat(SwuArchive.signedDescription(image)).isEmpty();
    }

    @Test
    void givenATruncatedOrMalformedSwu_whenReadingItsDescription_thenItIsNotASignedSwu() throws Exception {
        byte[] description = "software = { version = \"1.2.0\"; };".getBytes(StandardCharsets.UTF_8);
        byte[] signed = TestSigner.swu(description, trusted.cms(description), IMAGE);
        int signatureEntry = 110 + 16 + description.length + 2; // past sw-description: header, name, data, padding
        byte[] bigName = signed.clone();
        System.arraycopy("7fffffff".getBytes(StandardCharsets.US_ASCII), 0, bigName, 94, 8);
        byte[] notHex = signed.clone();
        System.arraycopy("zzzzzzzz".getBytes(StandardCharsets.US_ASCII), 0, notHex, 54, 8);
        byte[] hugeSignature = TestSigner.swu(description, new byte[1024 * 1024 + 1], IMAGE);

        for (byte[] malformed : List.of(java.util.Arrays.copyOf(signed, signatureEntry + 50),
                java.util.Arrays.copyOf(signed, signed.length / 2 < signatureEntry ? 60 : signatureEntry + 200),
                java.util.Arrays.copyOf(signed, 60), bigName, notHex, hugeSignature, new byte[0])) {
            Path file = Files.write(dir.resolve("malformed.swu"), malformed);
            assertThat(SwuArchive.signedDescription(file)).isEmpty();
        }
    }
}
