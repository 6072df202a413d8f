package io.updraft.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The local development signing key for management-API tokens. Generated on first use and kept beside the dev
 * stack's data, never committed: the services are given only the public half.
 */
public final class DevKeys {
    public static final String ISSUER = "https://updraft.local/dev";
    /** The audience every service requires of management tokens ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "updraft-api";

    private final PrivateKey privateKey;
    private final Path publicKeyFile;

    private DevKeys(PrivateKey privateKey, Path publicKeyFile) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
    }

    /** Loads the key pair kept in {@code dir}, or makes and keeps a new one. */
    public static DevKeys in(Path dir) {
        try {
            PrivateFiles.directory(dir);
            Path privateFile = dir.resolve("jwt-private.pem");
            Path publicFile = dir.resolve("jwt-public.pem");
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                PrivateFiles.narrow(privateFile);
                byte[] der = pemBody(Files.readString(privateFile));
                return new DevKeys(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)),
                        publicFile);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.deleteIfExists(privateFile); // a half-written pair from an interrupted start
            PrivateFiles.create(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new DevKeys(pair.getPrivate(), publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Give this path to a service as {@code mp.jwt.verify.publickey.location}. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    public DevTokens tokens() {
        return new DevTokens(privateKey, ISSUER);
    }

    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pemBody(Files.readString(file))));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }
}
