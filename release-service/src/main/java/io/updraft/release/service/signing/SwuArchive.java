package io.updraft.release.service.signing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Reads the signed description out of an SWUpdate image: a cpio archive in "newc" format (magic 070701, or 070702
 * with checksums) whose first entries are {@code sw-description} and, when signed, {@code sw-description.sig} (a
 * CMS signature over sw-description). Apache Commons Compress parses the archive; only the first entries are read,
 * each of the two at most {@value #MAX_ENTRY} bytes, and never more than {@value #MAX_SCANNED} bytes of the file
 * (SWUpdate itself requires the two to come first). Anything else — another format, a truncated or malformed
 * header, an entry too large — is "not a signed SWU".
 */
public final class SwuArchive {
    public static final String DESCRIPTION = "sw-description";
    public static final String SIGNATURE = "sw-description.sig";
    private static final int MAX_ENTRY = 1024 * 1024;
    private static final int MAX_ENTRIES_SCANNED = 8;
    /** Both entries at their largest, plus headers and names of the entries scanned. */
    private static final long MAX_SCANNED = 2L * MAX_ENTRY + MAX_ENTRIES_SCANNED * 8 * 1024L;

    /** sw-description and its signature, as stored in the image. */
    public record SignedDescription(byte[] description, byte[] signature) {
    }

    private SwuArchive() {
    }

    /** @return empty when the file is not a cpio archive or has no sw-description.sig among its first entries */
    public static Optional<SignedDescription> signedDescription(Path file) throws IOException {
        try (InputStream bytes = new FileBytes(Files.newInputStream(file), MAX_SCANNED);
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(bytes)) {
            byte[] description = null;
            for (int scanned = 0; scanned < MAX_ENTRIES_SCANNED; scanned++) {
                CpioArchiveEntry entry = cpio.getNextEntry();
                if (entry == null || !newc(entry)) {
                    return Optional.empty();
                }
                if (entry.getName().equals(DESCRIPTION) || entry.getName().equals(SIGNATURE)) {
                    if (entry.getSize() > MAX_ENTRY) {
                        return Optional.empty();
                    }
                    byte[] content = cpio.readNBytes((int) entry.getSize());
                    if (content.length != entry.getSize()) {
                        return Optional.empty();
                    }
                    if (entry.getName().equals(DESCRIPTION)) {
                        description = content;
                    } else if (description != null) {
                        return Optional.of(new SignedDescription(description, content));
                    }
                }
            }
            return Optional.empty();
        } catch (FileBytes.ReadFailed e) {
            throw e.getCause();
        } catch (IOException | IllegalArgumentException notNewcCpio) {
            return Optional.empty();
        }
    }

    private static boolean newc(CpioArchiveEntry entry) {
        return entry.getFormat() == CpioConstants.FORMAT_NEW || entry.getFormat() == CpioConstants.FORMAT_NEW_CRC;
    }

    /**
     * The file's first {@code limit} bytes, then end of file. A failure to read the file itself is told apart from
     * the parser's complaints about the archive, which are IOExceptions too.
     */
    private static final class FileBytes extends FilterInputStream {
        private long remaining;

        FileBytes(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining <= 0) {
                return -1;
            }
            try {
                int read = in.read(buffer, offset, (int) Math.min(length, remaining));
                if (read > 0) {
                    remaining -= read;
                }
                return read;
            } catch (IOException e) {
                throw new ReadFailed(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] discard = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int read = read(discard, 0, (int) Math.min(discard.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public int available() {
            return 0;
        }

        static final class ReadFailed extends UncheckedIOException {
            ReadFailed(IOException cause) {
                super(cause);
            }
        }
    }
}
