package io.updraft.zchunk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's zchunk tools, the reference the tests compare with (package {@code zchunk}, installed by .ci/run). */
final class ZckTools {

    record Result(int exit, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** One row of {@code zck_read_header -c}: number, checksums, file offset, stored and uncompressed size. */
    record Row(int number, String checksum, String uncompressedChecksum, long start, long compSize, long size) {
        static Row of(ZchunkHeader header, ZchunkChunk c) {
            return new Row(c.number(), c.checksumHex(), c.uncompressedChecksumHex(), header.length() + c.offset(),
                    c.length(), c.uncompressedLength());
        }
    }

    private ZckTools() {
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".bin");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end");
        }
        Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Result ok(Path dir, String... command) throws IOException, InterruptedException {
        Result r = run(dir, command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ": " + r.stderr()
                    + r.text());
        }
        return r;
    }

    /** {@code zck -u --chunk-hash-type sha256}: what SWUpdate's documentation has you run. */
    static Path zckForDelta(Path dir, Path plain) throws IOException, InterruptedException {
        Path out = dir.resolve(plain.getFileName() + ".tool.zck");
        ok(dir, "zck", "-u", "--chunk-hash-type", "sha256", "-o", out.toString(), plain.toString());
        return out;
    }

    static List<Row> chunkList(Path dir, Path zck) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (String line : ok(dir, "zck_read_header", "-c", zck.toString()).text().split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 5 || !t[0].matches("\\d+") || !t[1].matches("[0-9a-f]+")) {
                continue;
            }
            boolean withUncompressed = t.length == 6;
            int i = withUncompressed ? 3 : 2;
            rows.add(new Row(Integer.parseInt(t[0]), t[1], withUncompressed ? t[2] : null, Long.parseLong(t[i]),
                    Long.parseLong(t[i + 1]), Long.parseLong(t[i + 2])));
        }
        return rows;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
