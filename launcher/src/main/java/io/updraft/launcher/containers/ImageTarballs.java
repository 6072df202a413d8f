package io.updraft.launcher.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Whether the engine already holds the image a {@code docker save}-format tarball (Jib's) contains: an image's id is
 * the sha256 of its config, so comparing ids spares a {@code docker load} of hundreds of MiB that changes nothing.
 */
public final class ImageTarballs {
    private ImageTarballs() {
    }

    /** True when {@code tag} is loaded and its id is the sha256 of the tarball's {@code config.json}. */
    public static boolean loaded(Docker docker, Path tarball, String tag) {
        Optional<String> config = configDigest(tarball);
        if (config.isEmpty()) {
            return false;
        }
        Docker.Result id = docker.call(Duration.ofSeconds(30), List.of("image", "inspect", "-f", "{{.Id}}", tag));
        return id.status() == 0 && id.out().strip().equals("sha256:" + config.get());
    }

    /** The sha256 of the tarball's {@code config.json} (a plain tar: 512-byte headers, octal sizes). */
    static Optional<String> configDigest(Path tarball) {
        if (!Files.isRegularFile(tarball)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(tarball)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = text(header, 0, 100);
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                if (name.equals("config.json") || name.equals("./config.json")) {
                    byte[] content = in.readNBytes((int) size);
                    return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
                }
                in.skipNBytes(padded);
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
