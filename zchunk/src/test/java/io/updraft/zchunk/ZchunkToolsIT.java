package io.updraft.zchunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.zchunk.ZchunkFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our reader and writer against Debian's zchunk tools (libzck 1.2.3, the one Debian's swupdate links): what we write
 * they read back byte-identical; our chunks are theirs; what they write we read as they do; what we refuse they
 * refuse too.
 */
class ZchunkToolsIT {

    @TempDir
    static Path dir;

    @BeforeAll
    static void toolsPresent() throws Exception {
        // a missing package fails here, loudly: .ci/run installs it
        ZckTools.ok(dir, "zck", "--version");
    }

    @Test
    void what_we_write_unzck_restores_byte_identical_and_zck_read_header_lists_as_we_do() throws Exception {
        for (Map.Entry<String, byte[]> input : Inputs.all().entrySet()) {
            Path zck = write(input.getKey(), input.getValue());
            ZchunkHeader ours = parse(zck);

            byte[] restored = ZckTools.ok(dir, "unzck", "-c", zck.toString()).stdout();
            assertThat(restored).as(input.getKey()).isEqualTo(input.getValue());
            assertThat(ZckTools.chunkList(dir, zck)).as(input.getKey())
                    .isEqualTo(ours.chunks().stream().map(c -> ZckTools.Row.of(ours, c)).toList());
            String verbose = ZckTools.ok(dir, "zck_read_header", "-v", zck.toString()).text();
            assertThat(verbose).as(input.getKey()).contains("Header size: " + ours.length())
                    .contains("Has uncompressed checksums").contains("Chunk checksum type: SHA-256");
        }
    }

    @Test
    void our_chunks_are_the_zck_tools_chunks_boundaries_and_uncompressed_sha256() throws Exception {
        for (Map.Entry<String, byte[]> input : Inputs.all().entrySet()) {
            Path plain = plain(input.getKey(), input.getValue());
            Path theirs = ZckTools.zckForDelta(dir, plain);
            ZchunkHeader reference = ZchunkVerifier.verify(Files.newInputStream(theirs));
            ZchunkHeader ours = parse(write(input.getKey(), input.getValue()));

            assertThat(plainChunks(ours)).as(input.getKey()).isEqualTo(plainChunks(reference));
            assertThat(ours.flags()).isEqualTo(reference.flags());
            assertThat(ours.chunkChecksumType()).isEqualTo(reference.chunkChecksumType());
            if (input.getValue().length > 1 << 20) {
                assertThat(ours.dataChunks()).as(input.getKey() + " is cut into several chunks").hasSizeGreaterThan(4);
            }
        }
    }

    @Test
    void a_changed_image_shares_the_unchanged_chunks_as_swupdate_would_find_them() throws Exception {
        byte[] v1 = Inputs.imageLike(4 << 20, 11);
        byte[] v2 = Inputs.changed(v1, 0.02, 12);
        ZchunkHeader a = parse(write("v1", v1));
        ZchunkHeader b = parse(write("v2", v2));
        List<String> old = a.dataChunks().stream().map(ZchunkChunk::uncompressedChecksumHex).toList();
        long reused = b.dataChunks().stream().filter(c -> old.contains(c.uncompressedChecksumHex()))
                .mapToLong(ZchunkChunk::uncompressedLength).sum();
        System.out.printf("2 %% of 4 KiB blocks changed in 4 MiB: %d of %d bytes in chunks the device has (%d chunks)%n",
                reused, v2.length, b.dataChunks().size());
        assertThat(reused).isGreaterThan(v2.length / 2);
        // the tool finds the same: zck_delta_size counts what would be downloaded
        String delta = ZckTools.ok(dir, "zck_delta_size", ZckTools.zckForDelta(dir, plain("v1p", v1)).toString(),
                dir.resolve("v2.ours.zck").toString()).text();
        System.out.println("zck_delta_size v1 -> ours(v2): " + delta.trim());
        assertThat(delta).contains("Would download");
    }

    @Test
    void we_read_what_zck_writes_with_its_defaults_and_list_its_chunks_as_zck_read_header_does() throws Exception {
        for (Map.Entry<String, byte[]> input : Inputs.all().entrySet()) {
            Path plain = plain(input.getKey(), input.getValue());
            List<String[]> variants = List.of(new String[] {}, new String[] {"-u", "--chunk-hash-type", "sha256"},
                    new String[] {"--chunk-hash-type", "sha256"}, new String[] {"-u", "--chunk-hash-type", "sha512"},
                    new String[] {"--compression-format", "none"});
            for (int v = 0; v < variants.size(); v++) {
                String[] options = variants.get(v);
                Path zck = dir.resolve(input.getKey() + "-" + v + ".zck");
                String[] command = new String[options.length + 4];
                command[0] = "zck";
                System.arraycopy(options, 0, command, 1, options.length);
                command[options.length + 1] = "-o";
                command[options.length + 2] = zck.toString();
                command[options.length + 3] = plain.toString();
                ZckTools.ok(dir, command);
                ZchunkHeader header = ZchunkVerifier.verify(Files.newInputStream(zck));
                assertThat(header.chunks().stream().map(c -> ZckTools.Row.of(header, c)).toList())
                        .as(input.getKey() + " " + String.join(" ", options))
                        .isEqualTo(ZckTools.chunkList(dir, zck));
                assertThat(header.fileLength()).isEqualTo(Files.size(zck));
            }
        }
    }

    @Test
    void we_read_a_zck_compressed_with_a_dictionary_as_zck_read_header_does() throws Exception {
        byte[] text = Inputs.text(1 << 20, 13);
        Path plain = plain("dict-input", text);
        Path dict = dir.resolve("dict.bin");
        Files.write(dict, java.util.Arrays.copyOf(Inputs.text(64 << 10, 14), 32 << 10)); // a raw-content dictionary
        for (String[] options : List.of(new String[] {}, new String[] {"-u", "--chunk-hash-type", "sha256"})) {
            Path zck = dir.resolve("dict-" + options.length + ".zck");
            List<String> command = new java.util.ArrayList<>(List.of("zck", "-D", dict.toString()));
            command.addAll(List.of(options));
            command.addAll(List.of("-o", zck.toString(), plain.toString()));
            ZckTools.ok(dir, command.toArray(String[]::new));
            ZchunkHeader header = ZchunkVerifier.verify(Files.newInputStream(zck));
            assertThat(header.chunks().get(0).length()).as("a dictionary chunk").isPositive();
            assertThat(header.chunks().stream().map(c -> ZckTools.Row.of(header, c)).toList())
                    .isEqualTo(ZckTools.chunkList(dir, zck));
        }
    }

    @Test
    void corruptions_we_refuse_unzck_refuses_too() throws Exception {
        byte[] file = Files.readAllBytes(write("victim", Inputs.imageLike(1 << 20, 21)));
        ZchunkHeader h = ZchunkHeader.parse(file, file.length);
        ZchunkChunk third = h.dataChunks().get(2);

        byte[] badHeader = file.clone();
        badHeader[h.length() > 100 ? 100 : 10] ^= 1;
        refusedByBoth("header", badHeader, Reason.HEADER_CHECKSUM);

        byte[] badChunk = file.clone();
        badChunk[(int) (h.length() + third.offset() + third.length() / 2)] ^= 0x40;
        refusedByBoth("chunk", badChunk, Reason.CHUNK_CHECKSUM);

        // a zck-made file without -u has a data checksum: altered (and the header re-summed) it is refused
        Path plain = plain("victim", Inputs.imageLike(1 << 20, 21));
        Path withDataSum = dir.resolve("victim-data.zck");
        ZckTools.ok(dir, "zck", "-o", withDataSum.toString(), plain.toString());
        byte[] dataSum = Files.readAllBytes(withDataSum);
        dataSum[5 + 1 + 2 + 32] ^= 1; // magic, type, 2-byte header size, header checksum: the data checksum's 1st byte
        refusedByBoth("data", ZchunkVerifierTest.rehash(dataSum), Reason.DATA_CHECKSUM);

        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 1);
        refusedByBoth("truncated", truncated, Reason.TRUNCATED);
        refusedByBoth("truncated-in-header", java.util.Arrays.copyOf(file, (int) h.length() - 3), Reason.TRUNCATED);
    }

    private void refusedByBoth(String name, byte[] bad, Reason reason) throws Exception {
        assertThatThrownBy(() -> ZchunkVerifier.verify(new ByteArrayInputStream(bad)))
                .as(name).isInstanceOf(ZchunkFormatException.class)
                .extracting(e -> ((ZchunkFormatException) e).reason()).isEqualTo(reason);
        Path p = dir.resolve(name + ".bad.zck");
        Files.write(p, bad);
        ZckTools.Result r = ZckTools.run(dir, "unzck", "-c", p.toString());
        assertThat(r.exit()).as("unzck on " + name + ": " + r.stderr()).isNotZero();
    }

    private static List<String> plainChunks(ZchunkHeader h) {
        return h.dataChunks().stream().map(c -> c.uncompressedLength() + ":" + c.uncompressedChecksumHex()).toList();
    }

    private static Path plain(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name + ".img");
        Files.write(p, bytes);
        return p;
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name + ".ours.zck");
        try (InputStream in = new ByteArrayInputStream(bytes); OutputStream out = Files.newOutputStream(p)) {
            ZchunkWriter.write(in, out, dir);
        }
        return p;
    }

    private static ZchunkHeader parse(Path zck) throws IOException, ZchunkFormatException {
        byte[] bytes = Files.readAllBytes(zck);
        return ZchunkHeader.parse(bytes, bytes.length);
    }
}
