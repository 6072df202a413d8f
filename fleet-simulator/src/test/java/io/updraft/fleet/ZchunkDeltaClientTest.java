package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.zchunk.BuzhashChunker;
import io.updraft.zchunk.ZchunkChunk;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delta client against an in-process server serving a .zck made by ZchunkWriter with multi-range answers. */
class ZchunkDeltaClientTest {
    /** 2 MiB, 7 scattered 4 KiB blocks changed: a handful of the ~64 chunks differ, not next to each other. */
    private static final int SIZE = 2 << 20;
    private static final int[] CHANGED = {3, 40, 41, 130, 260, 300, 505};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ZchunkDeltaClient.Result fetch(ZchunkGateway gateway, int maxRanges, ByteArrayOutputStream rebuilt) {
        return ZchunkDeltaClient.over(http, Map.of("Authorization", "GatewayToken t"), maxRanges)
                .fetch(gateway.zckUrl(), SourceImage.of(gateway.v1), rebuilt).join();
    }

    /** The v2 chunks v1 lacks, by uncompressed SHA-256, merged where consecutive, as file byte ranges. */
    private static List<long[]> missingRanges(ZchunkGateway gateway) throws Exception {
        Set<String> v1 = new HashSet<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        BuzhashChunker chunker = new BuzhashChunker((bytes, length) -> {
            sha.update(bytes, 0, length);
            v1.add(HexFormat.of().formatHex(sha.digest()));
        });
        chunker.update(gateway.v1, 0, gateway.v1.length);
        chunker.finish();
        List<long[]> ranges = new ArrayList<>();
        long base = gateway.header.length();
        for (ZchunkChunk chunk : gateway.header.dataChunks()) {
            if (v1.contains(chunk.uncompressedChecksumHex())) {
                continue;
            }
            long first = base + chunk.offset();
            long last = first + chunk.length() - 1;
            long[] previous = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (previous != null && previous[1] + 1 == first) {
                previous[1] = last;
            } else {
                ranges.add(new long[] {first, last});
            }
        }
        return ranges;
    }

    private static List<String> asText(List<long[]> ranges) {
        return ranges.stream().map(r -> r[0] + "-" + r[1]).toList();
    }

    @Test
    void aDeviceOnV1FetchesOnlyTheChunksV2ChangedAndRebuildsV2() throws Exception {
        try (ZchunkGateway gateway = new ZchunkGateway(SIZE, CHANGED)) {
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result result = fetch(gateway, 200, rebuilt);

            assertThat(result.problem()).isNull();
            assertThat(rebuilt.toByteArray()).isEqualTo(gateway.v2);
            assertThat(result.imageSha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(gateway.v2));
            // the header (lead, then the rest), then the missing chunks, and nothing else
            List<long[]> missing = missingRanges(gateway);
            assertThat(missing).hasSizeGreaterThan(2);
            List<long[]> asked = gateway.rangesAsked();
            assertThat(asText(asked.subList(0, 2))).containsExactly("0-" + (ZchunkDeltaClient.LEAD_BYTES - 1),
                    ZchunkDeltaClient.LEAD_BYTES + "-" + (gateway.header.length() - 1));
            assertThat(asText(asked.subList(2, asked.size()))).containsExactlyElementsOf(asText(missing));
            assertThat(gateway.rangeHeaders).hasSize(3); // one multi-range GET for the chunks
            long missingBytes = missing.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
            assertThat(missingBytes).isLessThan(gateway.zck.length / 4);
            // every byte the server sent is counted: header, chunks and the multipart framing
            assertThat(result.bytesDownloaded()).isEqualTo(gateway.artifactBytesServed.get());
            assertThat(result.chunkBytes()).isGreaterThan(missingBytes);
            assertThat(result.chunks()).isEqualTo(gateway.header.dataChunks().size());
        }
    }

    @Test
    void aCorruptedChunkOnTheServerFailsTheDownload() throws Exception {
        try (ZchunkGateway gateway = new ZchunkGateway(SIZE, CHANGED)) {
            long base = gateway.header.length();
            long firstMissing = missingRanges(gateway).get(1)[0];
            ZchunkChunk damaged = gateway.header.dataChunks().stream()
                    .filter(c -> base + c.offset() == firstMissing).findFirst().orElseThrow();
            gateway.corruptChunk(damaged.number());

            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result result = fetch(gateway, 200, rebuilt);

            assertThat(result.problem()).contains("chunk " + damaged.number()).contains("checksum");
            assertThat(result.imageSha256()).isNull();
            assertThat(rebuilt.size()).isLessThan(gateway.v2.length);
        }
    }

    @Test
    void batchesRespectTheConfiguredMaximumAndTooManyRangesAnswered416FailTheDownload() throws Exception {
        try (ZchunkGateway gateway = new ZchunkGateway(SIZE, CHANGED)) {
            gateway.maxRanges = 2;
            int missing = missingRanges(gateway).size();

            ZchunkDeltaClient.Result tooMany = fetch(gateway, 200, null);
            assertThat(tooMany.problem()).contains("416").contains(missing + " ranges");

            gateway.rangeHeaders.clear();
            gateway.artifactBytesServed.set(0);
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result batched = fetch(gateway, 2, rebuilt);
            assertThat(batched.problem()).isNull();
            assertThat(rebuilt.toByteArray()).isEqualTo(gateway.v2);
            List<String> chunkRequests = gateway.rangeHeaders.subList(2, gateway.rangeHeaders.size());
            assertThat(chunkRequests).hasSize((missing + 1) / 2)
                    .allSatisfy(header -> assertThat(header.split(",").length).isLessThanOrEqualTo(2));
            assertThat(asText(gateway.rangesAsked().subList(2, gateway.rangesAsked().size())))
                    .containsExactlyElementsOf(asText(missingRanges(gateway)));
            assertThat(batched.bytesDownloaded()).isEqualTo(gateway.artifactBytesServed.get());
            assertThat(chunkRequests).containsExactlyElementsOf(
                    ZchunkDeltaClient.rangeHeaders(gateway.header, SourceImage.of(gateway.v1), 2));
        }
    }

    @Test
    void aLongChangedStretchIsAskedForInRangesOfBoundedSize() throws Exception {
        int[] stretch = java.util.stream.IntStream.range(100, 500).toArray(); // 1.6 MB in a row
        try (ZchunkGateway gateway = new ZchunkGateway(4 << 20, stretch)) {
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result result = fetch(gateway, 200, rebuilt);
            assertThat(result.problem()).isNull();
            assertThat(rebuilt.toByteArray()).isEqualTo(gateway.v2);
            List<long[]> asked = gateway.rangesAsked().subList(2, gateway.rangesAsked().size());
            assertThat(asked).allSatisfy(r -> assertThat(r[1] - r[0] + 1)
                    .isLessThanOrEqualTo(ZchunkDeltaClient.MAX_RANGE_BYTES));
            // the same bytes as the missing chunks, each once
            long missing = missingRanges(gateway).stream().mapToLong(r -> r[1] - r[0] + 1).sum();
            assertThat(missing).isGreaterThan(ZchunkDeltaClient.MAX_RANGE_BYTES);
            assertThat(asked.stream().mapToLong(r -> r[1] - r[0] + 1).sum()).isEqualTo(missing);
            assertThat(ZchunkDeltaClient.missingRanges(gateway.header, SourceImage.of(gateway.v1)))
                    .extracting(r -> r[0] + "-" + r[1]).containsExactlyElementsOf(asText(asked));
        }
    }

    @Test
    void noGetAsksForMoreThan8MiBUnlessOneRangeIs() throws Exception {
        int[] everyOther = java.util.stream.IntStream.range(0, 1536).map(i -> 2 * i).toArray(); // 12 MiB, every chunk
        try (ZchunkGateway gateway = new ZchunkGateway(12 << 20, everyOther)) {
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result result = fetch(gateway, 200, rebuilt);
            assertThat(result.problem()).isNull();
            assertThat(rebuilt.toByteArray()).isEqualTo(gateway.v2);
            List<String> chunkRequests = gateway.rangeHeaders.subList(2, gateway.rangeHeaders.size());
            assertThat(chunkRequests).hasSizeGreaterThan(1).allSatisfy(header -> assertThat(java.util.Arrays
                    .stream(header.substring(6).split(",")).mapToLong(r -> Long.parseLong(r.split("-")[1])
                            - Long.parseLong(r.split("-")[0]) + 1).sum())
                    .isLessThanOrEqualTo(ZchunkDeltaClient.MAX_REQUEST_BYTES));
            assertThat(result.bytesDownloaded()).isEqualTo(gateway.artifactBytesServed.get());
        }
    }

    @Test
    void anUnchangedImageNeedsOnlyTheHeader() throws Exception {
        try (ZchunkGateway gateway = new ZchunkGateway(SIZE, new int[0])) {
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            ZchunkDeltaClient.Result result = fetch(gateway, 200, rebuilt);
            assertThat(result.problem()).isNull();
            assertThat(result.chunksFetched()).isZero();
            assertThat(gateway.rangeHeaders).hasSize(2);
            assertThat(result.bytesDownloaded()).isEqualTo(gateway.header.length());
            assertThat(rebuilt.toByteArray()).isEqualTo(gateway.v2);
        }
    }
}
