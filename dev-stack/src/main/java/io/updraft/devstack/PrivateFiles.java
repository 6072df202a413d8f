package io.updraft.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Local secrets (the JWT signing key, the gateway token, the artifact URL key) readable by their owner only: a file is
 * created 0600 — never written first and narrowed after — in a directory made 0700, and a file or directory left by
 * an older version is narrowed when it is next used. On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code file} (which must not exist) with {@code content}, readable by its owner only. */
    public static void create(Path file, String content) throws IOException {
        directory(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (posix(file.getParent())) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_FILE);
            Files.write(Files.createFile(file, ownerOnly), bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
        }
    }

    /** Makes {@code dir} (and its parents) if missing, and narrows it to its owner. */
    public static void directory(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Narrows an existing secret file to its owner (one written by an older version may be world-readable). */
    public static void narrow(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
