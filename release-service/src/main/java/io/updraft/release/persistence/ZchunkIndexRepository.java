package io.updraft.release.persistence;

import io.updraft.release.domain.ArtifactZchunk;
import io.updraft.zchunk.ZchunkChunk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * The chunk index of every verified .zck, keyed by its sha256 (tables {@code zchunk_indexes}, {@code zchunk_chunks}).
 * Recording the same bytes twice changes nothing. Must run inside a transaction.
 */
@ApplicationScoped
public class ZchunkIndexRepository {
    private static final int BATCH = 500;

    @Inject
    EntityManager entityManager;

    public void record(String sha256, ArtifactZchunk zchunk) {
        int inserted = entityManager.createNativeQuery("""
                insert into zchunk_indexes (sha256, header_size, chunk_count) values (?1, ?2, ?3)
                on conflict (sha256) do nothing""")
                .setParameter(1, sha256).setParameter(2, zchunk.headerSize()).setParameter(3, zchunk.chunkCount())
                .executeUpdate();
        if (inserted == 0 || zchunk.chunks() == null) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into zchunk_chunks (sha256, number, file_offset, length, uncompressed_length, checksum,
                                               uncompressed_checksum)
                    values (?, ?, ?, ?, ?, ?, ?)""")) {
                int pending = 0;
                for (ZchunkChunk c : zchunk.chunks()) {
                    insert.setString(1, sha256);
                    insert.setInt(2, c.number());
                    insert.setLong(3, zchunk.headerSize() + c.offset());
                    insert.setLong(4, c.length());
                    insert.setLong(5, c.uncompressedLength());
                    insert.setString(6, c.checksumHex());
                    insert.setString(7, c.uncompressedChecksumHex());
                    insert.addBatch();
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
        });
    }

    /** The header size and chunk count recorded for these bytes, if they are a verified .zck. */
    public Optional<ArtifactZchunk> summary(String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "select header_size, chunk_count from zchunk_indexes where sha256 = ?1")
                .setParameter(1, sha256).getResultList();
        return rows.stream().findFirst().map(r -> new ArtifactZchunk(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue(), null));
    }
}
