package io.updraft.e2e.swupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Disk images and their zchunk files as a vendor makes them for SWUpdate's delta handler, with Debian's
 * {@code zchunk} tools: {@code zck -u -h sha256} (SHA-256 chunk hashes and the uncompressed digests the handler
 * compares with the running image), the header cut off as SWUpdate's handlers.rst says, and the chunk table read
 * back with {@code zck_read_header -c} to know which chunks a device lacks.
 */
public final class Zchunk {

    /** One chunk of a zchunk file's table. */
    public record Chunk(int index, String uncompressedDigest, long start, long compressedSize, long size) {
    }

    /** {@code size} random bytes (seeded, so a failing run can be repeated). */
    public static Path randomImage(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    /**
     * A copy of {@code base} with {@code runs} runs of {@code blocksPerRun} 4 KiB blocks rewritten with random bytes,
     * spread over the image (an update touches a few regions, not every block).
     */
    public static Path changedBlocks(Path base, Path file, int runs, int blocksPerRun, long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(base);
        Random random = new Random(seed);
        int blocks = bytes.length / 4096;
        for (int run = 0; run < runs; run++) {
            int first = (int) ((long) blocks * (2 * run + 1) / (2L * runs)); // the middle of each n-th of the image
            byte[] fresh = new byte[blocksPerRun * 4096];
            random.nextBytes(fresh);
            System.arraycopy(fresh, 0, bytes, first * 4096, fresh.length);
        }
        return Files.write(file, bytes);
    }

    /** {@code zck -u -h sha256 -o <image>.zck <image>}: @return the .zck */
    public static Path compress(Path image) throws Exception {
        Path zck = image.resolveSibling(image.getFileName() + ".zck");
        run(image.getParent(), "zck", "-u", "-h", "sha256", "-o", zck.toString(), image.toString());
        return zck;
    }

    /** The zck header (its first "Header size" bytes), what the delta .swu carries: @return the header file */
    public static Path header(Path zck, Path file) throws Exception {
        long size = -1;
        for (String line : run(zck.getParent(), "zck_read_header", zck.toString())) {
            if (line.startsWith("Header size:")) {
                size = Long.parseLong(line.substring("Header size:".length()).trim());
            }
        }
        assertThat(size).as("zck_read_header's 'Header size' of " + zck).isPositive();
        try (InputStream in = Files.newInputStream(zck)) {
            return Files.write(file, in.readNBytes((int) size));
        }
    }

    /** The chunk table ({@code zck_read_header -c}), in file order. */
    public static List<Chunk> chunks(Path zck) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        for (String line : run(zck.getParent(), "zck_read_header", "-c", zck.toString())) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 6 && columns[0].chars().allMatch(Character::isDigit)) {
                chunks.add(new Chunk(Integer.parseInt(columns[0]), columns[2], Long.parseLong(columns[3]),
                        Long.parseLong(columns[4]), Long.parseLong(columns[5])));
            }
        }
        assertThat(chunks).as("chunks of " + zck).isNotEmpty();
        return chunks;
    }

    /**
     * The chunks of {@code target} a device running {@code running} must fetch: those whose uncompressed digest is
     * not among the running image's chunks. SWUpdate 2022.12 indexes the running image with zck_write and never
     * closes that index, so the running image's last chunk is never hashed and never matches (its log's "Total bytes
     * to be downloaded" agrees): it is left out of what the device has.
     */
    public static List<Chunk> missing(Path runningZck, Path targetZck) throws Exception {
        List<Chunk> running = chunks(runningZck);
        Set<String> has = new HashSet<>();
        running.subList(0, running.size() - 1).forEach(chunk -> has.add(chunk.uncompressedDigest()));
        return chunks(targetZck).stream().filter(chunk -> chunk.size() > 0)
                .filter(chunk -> !has.contains(chunk.uncompressedDigest())).toList();
    }

    /** Their compressed bytes: what a delta download of them carries, multipart framing aside. */
    public static long compressedBytes(List<Chunk> chunks) {
        return chunks.stream().mapToLong(Chunk::compressedSize).sum();
    }

    /** How many byte ranges they make (adjacent chunks join into one). */
    public static int ranges(List<Chunk> chunks) {
        int ranges = 0;
        long end = -1;
        for (Chunk chunk : chunks) {
            if (chunk.start() != end) {
                ranges++;
            }
            end = chunk.start() + chunk.compressedSize();
        }
        return ranges;
    }

    private static List<String> run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output.lines().toList();
    }

    private Zchunk() {
    }
}
