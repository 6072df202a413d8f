package io.updraft.release.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "updraft.storage")
public interface StorageConfig {
    /** {@code filesystem} (default) or {@code s3} (any S3-compatible object store: AWS S3, MinIO, Ceph RGW, …). */
    @WithDefault("filesystem")
    String kind();

    /**
     * Where artifact bytes live, one file per sha256 (kind filesystem). Every replica must see the same directory (a
     * shared volume), because any replica may be asked to stream any artifact. Uploads are spooled to
     * {@code <dir>/.incoming} whatever the kind.
     */
    @WithDefault(".updraft/data/artifacts")
    String dir();

    S3 s3();

    /**
     * An S3-compatible bucket, addressed path-style ({@code <endpoint>/<bucket>/<prefix><sha256>}), through the Quarkus
     * Amazon S3 extension: application.properties hands these keys to its {@code quarkus.s3.*} configuration.
     * Credentials: the static access key and secret when both are set (env {@code UPDRAFT_STORAGE_S3_ACCESS_KEY} /
     * {@code UPDRAFT_STORAGE_S3_SECRET_KEY}, from a Secret); otherwise the AWS SDK's default credentials chain (system
     * properties, {@code AWS_*} env, web identity token, profile, container credentials as EKS Pod Identity gives them,
     * instance profile).
     */
    interface S3 {
        /** e.g. {@code https://s3.eu-central-1.amazonaws.com} or {@code http://minio:9000} */
        Optional<String> endpoint();

        Optional<String> bucket();

        @WithDefault("us-east-1")
        String region();

        /** With {@link #secretKey()}: static credentials; both absent: the AWS SDK default credentials chain. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Artifacts larger than this are uploaded as a multipart upload (default 64 MiB). */
        @WithDefault("67108864")
        long multipartThresholdBytes();

        /** Bytes per part of a multipart upload, at least 5 MiB (S3's minimum; default 16 MiB). */
        @WithDefault("16777216")
        long multipartPartSizeBytes();

        /** Key prefix inside the bucket, e.g. {@code artifacts/}. */
        @WithDefault("artifacts/")
        String prefix();
    }
}
