package io.updraft.release.service.storage;

import io.updraft.release.config.StorageConfig;
import io.updraft.release.service.storage.ArtifactStore;
import io.updraft.release.service.storage.FileSystemArtifactStore;
import io.updraft.release.service.storage.S3ArtifactStore;
import io.updraft.release.service.storage.Spool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;

/** Chooses the artifact store from {@code updraft.storage.kind}; places the upload spool. */
public class ArtifactStorage {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(StorageConfig config) {
        return switch (config.kind()) {
            case "filesystem" -> new FileSystemArtifactStore(Path.of(config.dir()));
            case "s3" -> {
                StorageConfig.S3 s3 = config.s3();
                yield new S3ArtifactStore(URI.create(required(s3.endpoint().orElse(null), "endpoint")),
                        required(s3.bucket().orElse(null), "bucket"), s3.region(), s3.prefix(),
                        required(s3.accessKey().orElse(null), "access-key"),
                        required(s3.secretKey().orElse(null), "secret-key"));
            }
            default -> throw new IllegalStateException("updraft.storage.kind must be filesystem or s3, not "
                    + config.kind());
        };
    }

    /** Uploads are spooled next to the filesystem store (keeping one is a rename), for both kinds of store. */
    @Produces
    @Singleton
    Spool spool(StorageConfig config) {
        return new Spool(Path.of(config.dir()).resolve(".incoming"));
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("updraft.storage.kind=s3 needs updraft.storage.s3." + key);
        }
        return value;
    }
}
