package io.updraft.e2e.swupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

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
        Files.write(work.resolve(payloadName), payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        String description = """
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
                """.formatted(version, revision, payloadName, installTo, sha256);
        return new SignedImage(pack(work, "firmware-" + version + ".swu", description, List.of(payloadName)),
                certificate(work));
    }

    /**
     * The throwaway signing certificate of {@code work} (key.pem, cert.pem), made with openssl on first use; every
     * image packed in the same directory is signed with it.
     */
    public static Path certificate(Path work) throws Exception {
        Path certificate = work.resolve("cert.pem");
        if (!Files.exists(certificate)) {
            exec(work, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                    "cert.pem", "-subj", "/CN=updraft-e2e", "-days", "1", "-addext",
                    "extendedKeyUsage=emailProtection");
        }
        return certificate;
    }

    /**
     * Writes {@code swDescription} to {@code work}, signs it (CMS, DER) with the directory's key and packs it, its
     * signature and {@code files} (names inside {@code work}) as cpio (crc) into {@code work/swuName}: @return that
     * {@code .swu}
     */
    public static Path pack(Path work, String swuName, String swDescription, List<String> files) throws Exception {
        certificate(work);
        Files.writeString(work.resolve("sw-description"), swDescription);
        exec(work, "openssl", "cms", "-sign", "-in", "sw-description", "-out", "sw-description.sig", "-signer",
                "cert.pem", "-inkey", "key.pem", "-outform", "DER", "-nosmimecap", "-binary");
        Path swu = work.resolve(swuName);
        Process cpio = new ProcessBuilder("cpio", "-o", "-H", "crc").directory(work.toFile())
                .redirectOutput(swu.toFile()).redirectError(work.resolve("cpio.log").toFile()).start();
        cpio.getOutputStream().write(("sw-description\nsw-description.sig\n" + String.join("\n", files) + "\n")
                .getBytes());
        cpio.getOutputStream().close();
        assertThat(cpio.waitFor()).as("cpio").isZero();
        return swu;
    }

    private static void exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".log").toFile()).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
