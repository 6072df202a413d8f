package io.updraft.release.service.signing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Public keys read from PEM files as openssl writes them: certificates and/or {@code PUBLIC KEY} blocks. */
public final class TrustedKeys {
    /** A key and a name for it (certificate subject, or the key's sha256 fingerprint). */
    public record TrustedKey(String subject, PublicKey key) {
    }

    private TrustedKeys() {
    }

    public static List<TrustedKey> read(List<Path> files) {
        List<TrustedKey> keys = new ArrayList<>();
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                    PEMParser pem = new PEMParser(reader)) {
                for (Object object = pem.readObject(); object != null; object = pem.readObject()) {
                    keys.add(key(object, file));
                }
            } catch (IOException | CertificateException e) {
                throw new IllegalStateException("cannot read trusted keys from " + file + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(keys);
    }

    private static TrustedKey key(Object object, Path file) throws IOException, CertificateException {
        if (object instanceof X509CertificateHolder certificate) {
            return new TrustedKey(certificate.getSubject().toString(),
                    new JcaX509CertificateConverter().getCertificate(certificate).getPublicKey());
        }
        if (object instanceof SubjectPublicKeyInfo info) {
            String fingerprint = HexFormat.of().formatHex(sha256(info.getEncoded())).substring(0, 16);
            return new TrustedKey("key sha256:" + fingerprint, new JcaPEMKeyConverter().getPublicKey(info));
        }
        throw new IllegalStateException(file + " holds a " + object.getClass().getSimpleName()
                + "; only CERTIFICATE and PUBLIC KEY blocks are trusted keys");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
