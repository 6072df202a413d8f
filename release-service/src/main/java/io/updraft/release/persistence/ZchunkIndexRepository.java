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
 * Recording the same bytes twice changes nothing. Per tenant (ADR 0021): every statement names the session's tenant.
 * Must run inside a transaction.
 */
@ApplicationScoped
public class ZchunkIndexRepository {
    private static final int BATCH = 500;

    @Inject
    EntityManager entityManager;

    public void record(String sha256, ArtifactZchunk zchunk) {
        String tenant = SessionTenants.of(entityManager);
        int inserted = entityManager.createNativeQuery("""
                insert into zchunk_indexes (tenant_id, sha256, header_size, chunk_count) values (?1, ?2, ?3, ?4)
                on conflict (tenant_id, sha256) do nothing""")
                .setParameter(1, tenant).setParameter(2, sha256).setParameter(3, zchunk.headerSize())
                .setParameter(4, zchunk.chunkCount())
                .executeUpdate();
        if (inserted == 0 || zchunk.chunks() == null) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into zchunk_chunks (tenant_id, sha256, number, file_offset, length, uncompressed_length,
                                               checksum, uncompressed_checksum)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int pending = 0;
                for (ZchunkChunk c : zchunk.chunks()) {
                    insert.setString(1, tenant);
                    insert.setString(2, sha256);
                    insert.setInt(3, c.number());
                    insert.setLong(4, zchunk.headerSize() + c.offset());
                    insert.setLong(5, c.length());
                    insert.setLong(6, c.uncompressedLength());
                    insert.setString(7, c.checksumHex());
                    insert.setString(8, c.uncompressedChecksumHex());
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
                "select header_size, chunk_count from zchunk_indexes where tenant_id = ?1 and sha256 = ?2")
                .setParameter(1, SessionTenants.of(entityManager)).setParameter(2, sha256).getResultList();
        return rows.stream().findFirst().map(r -> new ArtifactZchunk(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue(), null));
    }
}
