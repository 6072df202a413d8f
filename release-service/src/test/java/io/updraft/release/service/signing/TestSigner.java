package io.updraft.release.service.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs test artifacts the way a release pipeline would with openssl: detached CMS ({@code openssl cms -sign
 * -binary -outform DER}) or a plain {@code openssl dgst -sha256 -sign}; and builds signed SWU (cpio newc) images.
 */
public final class TestSigner {
    /** The key pair the test profile trusts (src/test/resources/signing). */
    public static final Path TRUSTED_CERT = Path.of("src/test/resources/signing/trusted.pem");
    public static final Path TRUSTED_KEY = Path.of("src/test/resources/signing/test-signer-key.pem");

    private final PrivateKey key;
    private final X509Certificate certificate;

    private TestSigner(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    public static TestSigner trusted() throws Exception {
        return new TestSigner(readKey(TRUSTED_KEY), readCertificate(TRUSTED_CERT));
    }

    /** A signer no service trusts. */
    public static TestSigner untrusted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=someone else");
        ContentSigner self = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.now().minus(1, ChronoUnit.DAYS)), Date.from(Instant.now().plus(1, ChronoUnit.DAYS)),
                name, pair.getPublic()).build(self);
        return new TestSigner(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
    }

    /** A detached CMS signature in DER, as {@code openssl cms -sign -binary -outform DER} writes it. */
    public byte[] cms(byte[] content) throws Exception {
        return cms(content, "SHA256withRSA", true);
    }

    /**
     * A detached CMS signature with another digest ({@code -md sha512}) or without signed attributes
     * ({@code -noattr}: the signature is then directly over the content's digest).
     */
    public byte[] cms(byte[] content, String algorithm, boolean signedAttributes) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().build())
                .setDirectSignature(!signedAttributes)
                .build(new JcaContentSignerBuilder(algorithm).build(key), certificate));
        return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }

    /** A plain RSA signature over SHA-256, as {@code openssl dgst -sha256 -sign key.pem} writes it. */
    public byte[] plain(byte[] content) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(content);
        return signature.sign();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** An SWU image: cpio newc with sw-description, optionally sw-description.sig, then the images. */
    public static byte[] swu(byte[] description, byte[] signatureOrNull, byte[]... images) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, "sw-description", description);
        if (signatureOrNull != null) {
            entry(out, "sw-description.sig", signatureOrNull);
        }
        for (int i = 0; i < images.length; i++) {
            entry(out, "rootfs-" + i + ".ext4", images[i]);
        }
        entry(out, "TRAILER!!!", new byte[0]);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, String name, byte[] content) {
        int nameSize = name.length() + 1;
        String header = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 1, 0100644, 0, 0,
                1, 0, content.length, 0, 0, 0, 0, nameSize, 0);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes((name + "\0").getBytes(StandardCharsets.US_ASCII));
        pad(out);
        out.writeBytes(content);
        pad(out);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) pem.readObject());
        }
    }

    private static X509Certificate readCertificate(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) pem.readObject());
        }
    }
}
