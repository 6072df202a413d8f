package io.updraft.release.service.storage;

import io.updraft.release.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Chooses the artifact store from {@code updraft.storage.kind}; places the upload spool. */
public class ArtifactStorage {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(StorageConfig config, Instance<S3ClientBuilder> s3Client) {
        return switch (config.kind()) {
            case "filesystem" -> new FileSystemArtifactStore(Path.of(config.dir()));
            case "s3" -> {
                StorageConfig.S3 s3 = config.s3();
                required(s3.endpoint().orElse(null), "endpoint");
                required(s3.accessKey().orElse(null), "access-key");
                required(s3.secretKey().orElse(null), "secret-key");
                // the Amazon S3 extension's client, configured from updraft.storage.s3.* (application.properties).
                // Checksums only where S3 requires them: the SDK's default CRC32 trailers (aws-chunked) are not
                // understood by every S3-compatible store; each PUT carries Content-MD5 instead. The SDK refuses that
                // setting next to the checksum options of the extension's S3Configuration, so that one is emptied
                // (path-style addressing is a client-level setting: quarkus.s3.path-style-access).
                S3Client client = s3Client.get()
                        .serviceConfiguration(S3Configuration.builder().build())
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .build();
                yield new S3ArtifactStore(client, required(s3.bucket().orElse(null), "bucket"), s3.prefix());
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
