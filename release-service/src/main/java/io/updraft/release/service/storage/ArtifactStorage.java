package io.updraft.release.service.storage;

import io.updraft.release.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Chooses the artifact store from {@code updraft.storage.kind}; places the upload spool. */
public class ArtifactStorage {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(StorageConfig config, Instance<S3Client> s3Client) {
        return switch (config.kind()) {
            case "filesystem" -> new FileSystemArtifactStore(Path.of(config.dir()));
            case "s3" -> {
                StorageConfig.S3 s3 = config.s3();
                yield new S3ArtifactStore(s3Client.get(), required(s3.bucket().orElse(null), "bucket"), s3.prefix(),
                        s3.multipartThresholdBytes(), s3.multipartPartSizeBytes());
            }
            default -> throw new IllegalStateException("updraft.storage.kind must be filesystem or s3, not "
                    + config.kind());
        };
    }

    /**
     * The Amazon S3 extension's client builder, configured from updraft.storage.s3.* (application.properties), with our
     * credentials and checksum choice. The extension makes its builder bean only because a client is injected
     * ({@code Instance<S3Client>} above); this producer replaces its default client. Built only for kind s3 (lazily).
     * Checksums only where S3 requires them: the SDK's default CRC32 trailers (aws-chunked) are not understood by every
     * S3-compatible store; each PUT carries Content-MD5 instead. The SDK refuses that setting next to the checksum
     * options of the extension's S3Configuration, so that one is emptied (path-style addressing is a client-level
     * setting: quarkus.s3.path-style-access).
     */
    @Produces
    @ApplicationScoped
    S3Client s3Client(StorageConfig config, S3ClientBuilder builder) {
        StorageConfig.S3 s3 = config.s3();
        required(s3.endpoint().orElse(null), "endpoint");
        return builder.credentialsProvider(credentials(s3.accessKey(), s3.secretKey()))
                .serviceConfiguration(S3Configuration.builder().build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    /**
     * Static keys when both are configured (from a Secret); none: the AWS SDK's default chain — system properties,
     * {@code AWS_*} env, a web identity token file (IRSA, through the SDK's sts module), profile, container credentials
     * (EKS Pod Identity), instance profile — resolved (and refreshed) on use, not at start. One key without the other
     * is a mistake, not a request for the chain.
     */
    static AwsCredentialsProvider credentials(Optional<String> configuredAccessKey,
            Optional<String> configuredSecretKey) {
        Optional<String> accessKey = configuredAccessKey.filter(key -> !key.isBlank());
        Optional<String> secretKey = configuredSecretKey.filter(key -> !key.isBlank());
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalStateException("updraft.storage.s3.access-key and updraft.storage.s3.secret-key go"
                    + " together: set both (static credentials) or neither (the AWS default credentials chain)");
        }
        if (accessKey.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
        }
        return DefaultCredentialsProvider.builder().build();
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
