package io.updraft.fleet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import io.updraft.zchunk.ZchunkChunk;
import io.updraft.zchunk.ZchunkFormatException;
import io.updraft.zchunk.ZchunkHeader;
import io.updraft.zchunk.ZchunkVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * What SWUpdate's delta handler does with a .zck, as a simulated device does it: fetch the header (a ranged GET of the
 * lead, then the rest of the header), compare each chunk's uncompressed SHA-256 with the chunks of the image the
 * device runs ({@link SourceImage}), fetch only the missing chunks — consecutive ones as one range, at most
 * {@code maxRanges} ranges per GET, answered {@code multipart/byteranges} — check each received chunk against the
 * header's checksum (stored bytes), its decompressed length and uncompressed checksum, and rebuild the new image
 * from the running image's chunks and the received ones, in order. Counts every body byte received (header, chunks
 * and the multipart framing).
 */
public final class ZchunkDeltaClient {
    /** The gateway's default {@code updraft.gateway.artifacts.max-ranges}. */
    public static final int DEFAULT_MAX_RANGES = 200;
    /** Magic (5), header checksum type and header size (compints, 9 bytes at most each), a SHA-256 header checksum. */
    static final int LEAD_BYTES = 5 + 9 + 9 + 32;
    /** Consecutive missing chunks are joined into one range up to this many stored bytes. */
    static final long MAX_RANGE_BYTES = 1 << 20;
    /** A GET asks for at most this many stored bytes (fewer ranges then): what a device holds in memory at once. */
    static final long MAX_REQUEST_BYTES = 8 << 20;

    /** Sends one GET and hands back the whole body (the device's exchange: bounded, retried after a 503). */
    @FunctionalInterface
    public interface Exchange {
        CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request);
    }

    /**
     * What one delta download did.
     *
     * @param headerBytes  body bytes of the header requests
     * @param chunkBytes   body bytes of the chunk requests (chunk data and multipart framing)
     * @param requests     GETs sent (header and chunks)
     * @param chunks       data chunks the new image has
     * @param chunksFetched data chunks downloaded (the others came from the running image)
     * @param ranges       byte ranges asked for
     * @param imageLength  bytes of the rebuilt image
     * @param imageSha256  SHA-256 of the rebuilt image (null on a problem)
     * @param problem      null when the image was rebuilt and every chunk verified, else what went wrong
     */
    public record Result(long headerBytes, long chunkBytes, int requests, int chunks, int chunksFetched, long ranges,
            long imageLength, byte[] imageSha256, String problem) {
        public long bytesDownloaded() {
            return headerBytes + chunkBytes;
        }

        public String imageSha256Hex() {
            return imageSha256 == null ? null : HexFormat.of().formatHex(imageSha256);
        }
    }

    private final Exchange exchange;
    private final Function<String, HttpRequest.Builder> requests;
    private final int maxRanges;

    /**
     * @param requests a request builder for a URL, with the device's headers (authorization)
     * @param maxRanges ranges per GET at most (the gateway answers 416 to more than its max-ranges)
     */
    public ZchunkDeltaClient(Exchange exchange, Function<String, HttpRequest.Builder> requests, int maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges must be at least 1, got " + maxRanges);
        }
        this.exchange = exchange;
        this.requests = requests;
        this.maxRanges = maxRanges;
    }

    /** A client on a plain JDK HTTP client, sending {@code headers} with every request (benchmarks, tools). */
    public static ZchunkDeltaClient over(HttpClient http, Map<String, String> headers, int maxRanges) {
        return new ZchunkDeltaClient(request -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()),
                url -> {
                    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2));
                    headers.forEach(builder::header);
                    return builder;
                }, maxRanges);
    }

    /**
     * Downloads the missing chunks of the .zck at {@code url} and rebuilds the new image from them and
     * {@code source}; the image goes to {@code rebuilt} when it is not null. Never completes exceptionally: a
     * failure is the result's {@code problem}.
     */
    public CompletableFuture<Result> fetch(String url, SourceImage source, OutputStream rebuilt) {
        Run run = new Run(url, source, rebuilt);
        return run.header()
                .thenCompose(run::chunks)
                .handle((ignored, error) -> run.result(error));
    }

    /** One download's state; its steps run one after another. */
    private final class Run {
        final String url;
        final SourceImage source;
        final OutputStream rebuilt;
        final MessageDigest image = SourceImage.sha256();
        long headerBytes;
        long chunkBytes;
        int requestCount;
        int chunkCount;
        int chunksFetched;
        long rangeCount;
        long imageLength;
        List<ZchunkChunk> dataChunks;
        ZchunkHeader header;
        int nextToWrite;
        final Map<Integer, byte[]> received = new HashMap<>();

        Run(String url, SourceImage source, OutputStream rebuilt) {
            this.url = url;
            this.source = source;
            this.rebuilt = rebuilt;
        }

        CompletableFuture<ZchunkHeader> header() {
            return get("bytes=0-" + (LEAD_BYTES - 1)).thenCompose(lead -> {
                headerBytes += lead.body().length;
                byte[] start = startOfFile(lead);
                long declared = declaredLength(start);
                if (declared <= start.length) {
                    return CompletableFuture.completedFuture(parse(start, (int) declared));
                }
                return get("bytes=" + start.length + "-" + (declared - 1)).thenApply(rest -> {
                    headerBytes += rest.body().length;
                    if (rest.statusCode() != 206 || firstByte(rest) != start.length
                            || rest.body().length != declared - start.length) {
                        throw new Problem("the rest of the .zck header: answered " + rest.statusCode() + " with "
                                + rest.body().length + " bytes, not bytes " + start.length + "-" + (declared - 1));
                    }
                    byte[] whole = Arrays.copyOf(start, (int) declared);
                    System.arraycopy(rest.body(), 0, whole, start.length, rest.body().length);
                    return parse(whole, (int) declared);
                });
            });
        }

        CompletableFuture<Void> chunks(ZchunkHeader parsed) {
            header = parsed;
            if (!header.uncompressedSource()) {
                throw new Problem("the .zck has no uncompressed chunk checksums (made without zck -u): nothing to"
                        + " compare the running image with");
            }
            dataChunks = header.dataChunks();
            chunkCount = dataChunks.size();
            List<List<ZchunkChunk>> ranges = plan(header, source);
            rangeCount = ranges.size();
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (List<List<ZchunkChunk>> batch : batches(ranges, maxRanges)) {
                chain = chain.thenCompose(ignored -> batch(batch));
            }
            return chain.thenRun(() -> writeUpTo(dataChunks.size()));
        }

        private CompletableFuture<Void> batch(List<List<ZchunkChunk>> ranges) {
            return get(rangeHeader(header, ranges)).thenAccept(response -> {
                chunkBytes += response.body().length;
                List<MultipartByteranges.Part> parts = parts(response, ranges.size());
                int last = 0;
                for (List<ZchunkChunk> range : ranges) {
                    for (ZchunkChunk chunk : range) {
                        received.put(chunk.number(), verified(chunk, bytesOf(chunk, parts, response.body())));
                        chunksFetched++;
                        last = chunk.number();
                    }
                }
                writeUpTo(last); // data chunk n is dataChunks[n - 1]: everything before the last one received
            });
        }

        private List<MultipartByteranges.Part> parts(HttpResponse<byte[]> response, int asked) {
            byte[] body = response.body();
            if (response.statusCode() == 200) {
                return List.of(new MultipartByteranges.Part(0, body.length - 1L, 0)); // ranges ignored: the whole file
            }
            if (response.statusCode() == 416) {
                throw new Problem("GET " + url + " with " + asked + " ranges answered 416 (more ranges than the"
                        + " gateway's max-ranges, or past the end)");
            }
            if (response.statusCode() != 206) {
                throw new Problem("GET " + url + " with " + asked + " ranges answered " + response.statusCode());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (MultipartByteranges.boundary(type) == null) {
                long first = firstByte(response);
                return List.of(new MultipartByteranges.Part(first, first + body.length - 1, 0));
            }
            try {
                return MultipartByteranges.parse(type, body);
            } catch (MultipartByteranges.Malformed e) {
                throw new Problem("GET " + url + ": malformed multipart/byteranges answer: " + e.getMessage());
            }
        }

        private byte[] bytesOf(ZchunkChunk chunk, List<MultipartByteranges.Part> parts, byte[] body) {
            long first = start(chunk);
            long end = end(chunk);
            for (MultipartByteranges.Part part : parts) {
                if (part.first() <= first && end - 1 <= part.last()) {
                    int at = part.offset() + (int) (first - part.first());
                    return Arrays.copyOfRange(body, at, at + (int) chunk.length());
                }
            }
            throw new Problem("the answer holds no part with bytes " + first + "-" + (end - 1) + " (chunk "
                    + chunk.number() + ")");
        }

        /** The chunk's stored bytes checked against the header, decompressed and checked again. */
        private byte[] verified(ZchunkChunk chunk, byte[] stored) {
            MessageDigest digest = header.chunkChecksumType().newDigest();
            digest.update(stored);
            if (!MessageDigest.isEqual(header.chunkChecksumType().finish(digest), chunk.checksum())) {
                throw new Problem("chunk " + chunk.number() + " (bytes " + start(chunk) + "-" + (end(chunk) - 1)
                        + ") differs from the header's checksum");
            }
            if (chunk.uncompressedLength() > ZchunkVerifier.DEFAULT_MAX_CHUNK) {
                throw new Problem("chunk " + chunk.number() + " declares " + chunk.uncompressedLength() + " bytes");
            }
            byte[] plain;
            if (header.compressionType() == ZchunkHeader.COMPRESSION_NONE) {
                plain = stored;
            } else {
                try {
                    plain = Zstd.decompress(stored, (int) chunk.uncompressedLength());
                } catch (ZstdException | IllegalArgumentException e) {
                    throw new Problem("chunk " + chunk.number() + " does not decompress: " + e.getMessage());
                }
            }
            MessageDigest sha = SourceImage.sha256();
            if (plain.length != chunk.uncompressedLength()
                    || !MessageDigest.isEqual(sha.digest(plain), chunk.uncompressedChecksum())) {
                throw new Problem("chunk " + chunk.number() + " decompresses to other bytes than the header says");
            }
            return plain;
        }

        /** Writes data chunks 1..{@code lastNumber} not written yet: from the running image or as received. */
        private void writeUpTo(int lastNumber) {
            Map<String, long[]> have = source.index();
            while (nextToWrite < Math.min(lastNumber, dataChunks.size())) {
                ZchunkChunk chunk = dataChunks.get(nextToWrite);
                byte[] plain = received.remove(chunk.number());
                if (plain == null) {
                    long[] at = have.get(chunk.uncompressedChecksumHex());
                    plain = at == null ? new byte[0] : source.read(at[0], (int) at[1]);
                }
                image.update(plain);
                imageLength += plain.length;
                if (rebuilt != null) {
                    try {
                        rebuilt.write(plain);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                nextToWrite++;
            }
        }

        private long start(ZchunkChunk chunk) {
            return header.length() + chunk.offset();
        }

        private long end(ZchunkChunk chunk) {
            return start(chunk) + chunk.length();
        }

        private CompletableFuture<HttpResponse<byte[]>> get(String range) {
            requestCount++;
            return exchange.send(requests.apply(url).header("Range", range).GET().build());
        }

        /** The lead answer: 206 from byte 0, or 200 (the whole file, ranges ignored). */
        private byte[] startOfFile(HttpResponse<byte[]> lead) {
            if (lead.statusCode() == 200 || (lead.statusCode() == 206 && firstByte(lead) == 0)) {
                return lead.body();
            }
            throw new Problem("GET " + url + " (the .zck lead) answered " + lead.statusCode());
        }

        private ZchunkHeader parse(byte[] bytes, int length) {
            try {
                return ZchunkHeader.parse(bytes, length);
            } catch (ZchunkFormatException e) {
                throw new Problem("the .zck header does not verify: " + e.reason() + ": " + e.getMessage());
            }
        }

        Result result(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            String problem = cause == null ? null
                    : cause instanceof Problem ? cause.getMessage() : "delta download of " + url + " failed: " + cause;
            return new Result(headerBytes, chunkBytes, requestCount, chunkCount, chunksFetched, rangeCount,
                    imageLength, problem == null ? image.digest() : null, problem);
        }
    }

    /**
     * The chunks of {@code header} that {@code source} lacks (by uncompressed SHA-256), consecutive ones joined into
     * one range of at most {@link #MAX_RANGE_BYTES} stored bytes: what a delta client asks for.
     */
    static List<List<ZchunkChunk>> plan(ZchunkHeader header, SourceImage source) {
        Map<String, long[]> have = source.index();
        List<List<ZchunkChunk>> ranges = new ArrayList<>();
        List<ZchunkChunk> open = null;
        long openBytes = 0;
        for (ZchunkChunk chunk : header.dataChunks()) {
            if (have.containsKey(chunk.uncompressedChecksumHex()) || chunk.length() == 0) {
                open = null;
                continue;
            }
            if (open == null || openBytes + chunk.length() > MAX_RANGE_BYTES) {
                open = new ArrayList<>();
                openBytes = 0;
                ranges.add(open);
            }
            open.add(chunk);
            openBytes += chunk.length();
        }
        return ranges;
    }

    /** The byte ranges of the .zck ({first, last}, inclusive) a delta client on {@code source} asks for. */
    public static List<long[]> missingRanges(ZchunkHeader header, SourceImage source) {
        return plan(header, source).stream().map(range -> new long[] {header.length() + range.get(0).offset(),
                header.length() + range.get(range.size() - 1).offset() + range.get(range.size() - 1).length() - 1})
                .toList();
    }

    /** The ranges in GETs of at most {@code maxRanges} ranges and {@link #MAX_REQUEST_BYTES} (unless one is more). */
    static List<List<List<ZchunkChunk>>> batches(List<List<ZchunkChunk>> ranges, int maxRanges) {
        List<List<List<ZchunkChunk>>> batches = new ArrayList<>();
        int from = 0;
        while (from < ranges.size()) {
            int to = from;
            long bytes = 0;
            while (to < ranges.size() && to - from < maxRanges
                    && (to == from || bytes + storedBytes(ranges.get(to)) <= MAX_REQUEST_BYTES)) {
                bytes += storedBytes(ranges.get(to));
                to++;
            }
            batches.add(ranges.subList(from, to));
            from = to;
        }
        return batches;
    }

    private static String rangeHeader(ZchunkHeader header, List<List<ZchunkChunk>> ranges) {
        StringBuilder text = new StringBuilder("bytes=");
        for (List<ZchunkChunk> range : ranges) {
            if (text.length() > 6) {
                text.append(',');
            }
            ZchunkChunk last = range.get(range.size() - 1);
            text.append(header.length() + range.get(0).offset()).append('-')
                    .append(header.length() + last.offset() + last.length() - 1);
        }
        return text.toString();
    }

    /** The {@code Range} headers of the chunk GETs a delta client on {@code source} sends, in order. */
    public static List<String> rangeHeaders(ZchunkHeader header, SourceImage source, int maxRanges) {
        return batches(plan(header, source), maxRanges).stream().map(batch -> rangeHeader(header, batch)).toList();
    }

    private static long storedBytes(List<ZchunkChunk> range) {
        return range.stream().mapToLong(ZchunkChunk::length).sum();
    }

    /** How many bytes the lead says lead + header take; refuses what is not a zchunk lead. */
    public static long headerLength(byte[] lead) {
        return declaredLength(lead);
    }

    /** How long lead + header are, from the lead: magic, header checksum type, header size, header checksum. */
    static long declaredLength(byte[] lead) {
        byte[] magic = {0, 'Z', 'C', 'K', '1'};
        if (lead.length < magic.length || !Arrays.equals(lead, 0, magic.length, magic, 0, magic.length)) {
            throw new Problem("not a zchunk file: it does not start with \\0ZCK1");
        }
        long[] cursor = {magic.length};
        long type = compint(lead, cursor);
        long size = compint(lead, cursor);
        int checksum = type == 0 ? 20 : type == 1 ? 32 : -1;
        if (checksum < 0) {
            throw new Problem("header checksum type " + type + " is unknown");
        }
        long total = cursor[0] + checksum + size;
        if (total > ZchunkHeader.DEFAULT_MAX_HEADER) {
            throw new Problem("the .zck header declares " + total + " bytes, more than "
                    + ZchunkHeader.DEFAULT_MAX_HEADER);
        }
        return total;
    }

    /** zchunk's compint: little-endian 7-bit groups, the last byte marked by its top bit. */
    private static long compint(byte[] bytes, long[] cursor) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (cursor[0] >= bytes.length) {
                throw new Problem("the .zck lead is cut inside a number");
            }
            int b = bytes[(int) cursor[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) != 0) {
                return value;
            }
        }
        throw new Problem("a number in the .zck lead is longer than 9 bytes");
    }

    private static long firstByte(HttpResponse<?> response) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d{1,18})-\\d{1,18}/(\\d{1,18}|\\*)")
                .matcher(range.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A delta download that cannot go on; its message becomes the install's failure detail. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
