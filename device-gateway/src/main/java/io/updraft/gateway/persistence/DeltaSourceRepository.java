package io.updraft.gateway.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.updraft.events.ArtifactRef;
import io.updraft.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The .zck files (delta-source) of releases this gateway was told to install, found by sha256 for delta links. */
@ApplicationScoped
public class DeltaSourceRepository {
    @Inject
    EntityManager em;

    /** A delta-source file and the release it came with. */
    public record DeltaSource(String releaseId, ArtifactRef artifact) {
    }

    /** Records the file once (a second device's command for the same release changes nothing); in a transaction. */
    public void record(String tenant, String releaseId, ArtifactRef artifact) {
        em.createNativeQuery("""
                insert into delta_source (tenant_id, sha256, artifact_id, release_id, artifact, recorded_at)
                values (?6, ?1, ?2, ?3, ?4, ?5) on conflict (tenant_id, sha256, artifact_id) do nothing""")
                .setParameter(6, tenant)
                .setParameter(1, artifact.sha256())
                .setParameter(2, artifact.artifactId())
                .setParameter(3, releaseId)
                .setParameter(4, json(artifact))
                .setParameter(5, Instant.now())
                .executeUpdate();
    }

    /** The tenant's file with this sha256 recorded last (the bytes are the same whichever release holds them). */
    public Optional<DeltaSource> find(String tenant, String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select release_id, artifact from delta_source where tenant_id = ?2 and sha256 = ?1
                order by recorded_at desc limit 1""")
                .setParameter(1, sha256)
                .setParameter(2, tenant)
                .getResultList();
        return rows.stream().findFirst().map(row -> new DeltaSource((String) row[0], artifact((String) row[1])));
    }

    private static String json(ArtifactRef artifact) {
        try {
            return EventJson.mapper().writeValueAsString(artifact);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArtifactRef artifact(String json) {
        try {
            return EventJson.mapper().readValue(json, ArtifactRef.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
