package io.updraft.release.service.signing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads the signed description out of an SWUpdate image: a cpio archive in "newc" format (magic 070701, or 070702
 * with checksums) whose first entries are {@code sw-description} and, when signed, {@code sw-description.sig} (a
 * CMS signature over sw-description). Only the headers and those two small entries are read; the images that
 * follow are skipped.
 */
public final class SwuArchive {
    public static final String DESCRIPTION = "sw-description";
    public static final String SIGNATURE = "sw-description.sig";
    private static final int HEADER = 110;
    private static final int MAX_ENTRY = 1024 * 1024;
    private static final int MAX_ENTRIES_SCANNED = 8;

    /** sw-description and its signature, as stored in the image. */
    public record SignedDescription(byte[] description, byte[] signature) {
    }

    private SwuArchive() {
    }

    /** @return empty when the file is not a cpio archive or has no sw-description.sig among its first entries */
    public static Optional<SignedDescription> signedDescription(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] description = null;
            long position = 0;
            for (int entry = 0; entry < MAX_ENTRIES_SCANNED; entry++) {
                ByteBuffer header = read(channel, position, HEADER);
                if (header == null) {
                    return Optional.empty();
                }
                String text = new String(header.array(), StandardCharsets.US_ASCII);
                if (!text.startsWith("070701") && !text.startsWith("070702")) {
                    return Optional.empty();
                }
                long fileSize = hex(text, 54);
                int nameSize = (int) hex(text, 94);
                if (nameSize <= 0 || nameSize > 4096) {
                    return Optional.empty();
                }
                ByteBuffer nameBytes = read(channel, position + HEADER, nameSize - 1);
                if (nameBytes == null) {
                    return Optional.empty();
                }
                String name = new String(nameBytes.array(), StandardCharsets.US_ASCII);
                long data = align(position + HEADER + nameSize);
                if ("TRAILER!!!".equals(name)) {
                    return Optional.empty();
                }
                if (name.equals(DESCRIPTION) || name.equals(SIGNATURE)) {
                    if (fileSize > MAX_ENTRY) {
                        return Optional.empty();
                    }
                    ByteBuffer content = read(channel, data, (int) fileSize);
                    if (content == null) {
                        return Optional.empty();
                    }
                    if (name.equals(DESCRIPTION)) {
                        description = content.array();
                    } else if (description != null) {
                        return Optional.of(new SignedDescription(description, content.array()));
                    }
                }
                position = align(data + fileSize);
            }
            return Optional.empty();
        } catch (NumberFormatException notCpio) {
            return Optional.empty();
        }
    }

    private static long hex(String header, int offset) {
        return Long.parseLong(header.substring(offset, offset + 8), 16);
    }

    private static long align(long position) {
        return (position + 3) & ~3L;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer;
    }
}
