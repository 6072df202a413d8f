package io.updraft.e2e.swupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A CMS-signed {@code .swu} as a device vendor builds one: a throwaway key and certificate made with openssl, a
 * {@code sw-description} naming the payload with its sha256 and the hardware revision it fits, signed, packed as cpio
 * (crc). SWUpdate verifies the signature with {@link #certificate()} and installs the payload to its path.
 */
public record SignedImage(Path swu, Path certificate) {

    /**
     * @param payloadName the payload's name inside the image
     * @param installTo where SWUpdate's file handler writes the payload
     */
    public static SignedImage build(Path work, String version, String revision, String payloadName, byte[] payload,
            Path installTo) throws Exception {
        exec(work, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-subj", "/CN=updraft-e2e", "-days", "1", "-addext", "extendedKeyUsage=emailProtection");
        Files.write(work.resolve(payloadName), payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        Files.writeString(work.resolve("sw-description"), """
                software =
                {
                    version = "%s";
                    hardware-compatibility: [ "%s" ];
                    files: (
                        {
                            filename = "%s";
                            path = "%s";
                            sha256 = "%s";
                        }
                    );
                }
                """.formatted(version, revision, payloadName, installTo, sha256));
        exec(work, "openssl", "cms", "-sign", "-in", "sw-description", "-out", "sw-description.sig", "-signer",
                "cert.pem", "-inkey", "key.pem", "-outform", "DER", "-nosmimecap", "-binary");
        Path swu = work.resolve("firmware-" + version + ".swu");
        Process cpio = new ProcessBuilder("cpio", "-o", "-H", "crc").directory(work.toFile())
                .redirectOutput(swu.toFile()).redirectError(work.resolve("cpio.log").toFile()).start();
        cpio.getOutputStream().write(("sw-description\nsw-description.sig\n" + payloadName + "\n").getBytes());
        cpio.getOutputStream().close();
        assertThat(cpio.waitFor()).as("cpio").isZero();
        return new SignedImage(swu, work.resolve("cert.pem"));
    }

    private static void exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
