package io.updraft.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.config.ServedTenants;
import io.updraft.gateway.domain.DeltaLinkKey;
import io.updraft.gateway.persistence.DeltaSourceRepository;
import io.updraft.gateway.service.DeviceArtifacts.Download;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Capability URLs for the .zck files SWUpdate's delta handler fetches without credentials: minted for a sha256 (the
 * URL goes into the signed sw-description before the release is published), resolved to the release's artifact when
 * the key matches and this gateway was told to install a release holding that .zck. Every refusal looks the same.
 */
@ApplicationScoped
public class DeltaLinks {
    @Inject
    GatewayConfig config;
    @Inject
    DeltaSourceRepository sources;
    @Inject
    ServedTenants served;

    private Optional<DeltaLinkKey> key;

    /** Reads (and checks) the key at start: a key too short to be safe refuses the start. */
    void start(@Observes StartupEvent startup) {
        key();
    }

    private synchronized Optional<DeltaLinkKey> key() {
        if (key == null) {
            key = config.delta().linkKey().filter(k -> !k.isBlank()).map(DeltaLinkKey::of);
        }
        return key;
    }

    /** The path (with its key) of the tenant's .zck with this sha256; empty if no key is set. */
    public Optional<String> mint(String tenant, String sha256) {
        String path = served.pathName(tenant);
        return key().map(k -> "/delta/v1/" + path + "/" + sha256 + ".zck?key=" + k.sign(path, sha256));
    }

    /** The download a link stands for, or empty for a wrong key, another tenant or a sha256 of no known .zck. */
    @Transactional
    public Optional<Download> resolve(String path, String sha256, String given) {
        // the path's tenant exactly as minted (the key signs it); each tenant finds only its own .zck files
        String tenant = served.ofPath(path);
        if (tenant == null || !path.equals(served.pathName(tenant)) || !DeltaLinkKey.isSha256(sha256)) {
            return Optional.empty();
        }
        Optional<DeltaLinkKey> k = key();
        if (k.isEmpty() || !k.get().matches(path, sha256, given)) {
            return Optional.empty();
        }
        return sources.find(tenant, sha256)
                .map(found -> Download.viaDeltaLink(tenant, found.releaseId(), found.artifact()));
    }

    /** Records the .zck files the commands carry (once per file in the batch); in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordSources(String tenant, List<InstallRequested> commands) {
        Set<String> seen = new HashSet<>();
        for (InstallRequested command : commands) {
            for (ArtifactRef artifact : command.artifacts()) {
                if (ArtifactRef.DELTA_SOURCE.equals(artifact.effectiveRole()) && DeltaLinkKey.isSha256(artifact.sha256())
                        && seen.add(artifact.sha256() + "/" + artifact.artifactId())) {
                    sources.record(tenant, command.releaseId(), artifact);
                }
            }
        }
    }
}
