package io.updraft.e2e.swupdate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * A running image v1 and its successor v2 (a few runs of 4 KiB blocks changed), their zchunk files, and the two signed
 * {@code .swu} a vendor ships for v2: the delta one (only v2's zck header, {@code type = "delta"} chained to the raw
 * handler, as in SWUpdate's handlers.rst) and the full one (all of v2 for the raw handler). All in one directory,
 * signed with its throwaway key ({@link SignedImage#certificate(Path)}).
 */
public record DeltaImages(Path work, Path running, Path next, Path runningZck, Path nextZck, Path header) {

    /** v1 of {@code size} random bytes, v2 with {@code runs} runs of {@code blocksPerRun} blocks changed. */
    public static DeltaImages make(Path work, String version, int size, int runs, int blocksPerRun, long seed)
            throws Exception {
        Path running = Zchunk.randomImage(work.resolve("v1.img"), size, seed);
        Path next = Zchunk.changedBlocks(running, work.resolve("v" + version + ".img"), runs, blocksPerRun, seed + 1);
        Path nextZck = Zchunk.compress(next);
        return new DeltaImages(work, running, next, Zchunk.compress(running), nextZck,
                Zchunk.header(nextZck, work.resolve("v" + version + ".header")));
    }

    public Path certificate() throws Exception {
        return SignedImage.certificate(work);
    }

    /**
     * The delta {@code .swu}: the header, which the delta handler compares with {@code source} (the running image),
     * fetching the chunks it lacks from {@code url}, and hands the rebuilt image to the raw handler for
     * {@code device}.
     */
    public Path deltaSwu(String version, String revision, String url, Path source, Path device) throws Exception {
        String header = header().getFileName().toString();
        return SignedImage.pack(work, "delta-" + version + ".swu", """
                software =
                {
                    version = "%s";
                    hardware-compatibility: [ "%s" ];
                    images: (
                        {
                            filename = "%s";
                            type = "delta";
                            device = "%s";
                            sha256 = "%s";
                            properties: {
                                url = "%s";
                                source = "%s";
                                chain = "raw";
                                zckloglevel = "error";
                            };
                        }
                    );
                }
                """.formatted(version, revision, header, device, sha256(header()), url, source), List.of(header));
    }

    /** The full {@code .swu}: all of v2 for the raw handler on {@code device}. */
    public Path fullSwu(String version, String revision, Path device) throws Exception {
        String image = next.getFileName().toString();
        return SignedImage.pack(work, "full-" + version + ".swu", """
                software =
                {
                    version = "%s";
                    hardware-compatibility: [ "%s" ];
                    images: (
                        {
                            filename = "%s";
                            type = "raw";
                            device = "%s";
                            sha256 = "%s";
                        }
                    );
                }
                """.formatted(version, revision, image, device, sha256(next)), List.of(image));
    }

    public static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
