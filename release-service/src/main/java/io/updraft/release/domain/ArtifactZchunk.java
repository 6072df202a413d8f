package io.updraft.release.domain;

import io.updraft.zchunk.ZchunkChunk;
import io.updraft.zchunk.ZchunkHeader;
import java.util.List;

/**
 * What a verified .zck artifact offers delta clients: its header (the first {@code headerSize} bytes of the file, what
 * a .swu embeds for SWUpdate's delta handler) and its data chunks. {@code chunks} is null when only the summary was
 * read back (the chunks were recorded when the bytes arrived).
 */
public record ArtifactZchunk(long headerSize, int chunkCount, List<ZchunkChunk> chunks) {

    public static ArtifactZchunk of(ZchunkHeader header) {
        List<ZchunkChunk> data = header.dataChunks();
        return new ArtifactZchunk(header.length(), data.size(), data);
    }

    public ArtifactZchunk summary() {
        return new ArtifactZchunk(headerSize, chunkCount, null);
    }
}
