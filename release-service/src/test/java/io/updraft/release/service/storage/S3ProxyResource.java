package io.updraft.release.service.storage;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the s3 artifact store: S3Proxy (in-memory "transient" backend, AWS SigV4
 * authentication) in a child JVM on a free loopback port, so its Jetty and jclouds never share the Quarkus class path.
 * The jar is copied to {@code target/s3proxy/} by the build (maven-dependency-plugin). Configures the service with
 * {@code updraft.storage.kind=s3} and creates the bucket.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "updraft-artifacts";
    public static final String PREFIX = "artifacts/";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "AKIDUPDRAFT";
    public static final String SECRET_KEY = "secret-key-1234";
    private static final Path HOME = Path.of("target/s3proxy");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private JavaProcess process;

    @Override
    public Map<String, String> start() {
        Path jar = HOME.resolve("s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build (mvn verify), it copies S3Proxy there");
        }
        try {
            String endpoint = "http://127.0.0.1:" + DevStack.freePort();
            Path properties = Files.writeString(HOME.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient",
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY, ""));
            process = JavaProcess.mainClass("S3Proxy", jar.toString(), "org.gaul.s3proxy.Main")
                    .jvmOptions(List.of("-Xmx256m", "-XX:+UseSerialGC"))
                    .arguments(List.of("--properties", properties.toString())).log(HOME.resolve("s3proxy.log")).start();
            JavaProcess started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.stop(Duration.ZERO)));
            process.awaitReady(STARTUP, () -> answers(URI.create(endpoint)));
            try (S3Client s3 = client(endpoint, SECRET_KEY)) {
                s3.createBucket(create -> create.bucket(BUCKET));
            }
            return Map.of("updraft.storage.kind", "s3",
                    "updraft.storage.s3.endpoint", endpoint,
                    "updraft.storage.s3.bucket", BUCKET,
                    "updraft.storage.s3.prefix", PREFIX,
                    "updraft.storage.s3.region", REGION,
                    "updraft.storage.s3.access-key", ACCESS_KEY,
                    "updraft.storage.s3.secret-key", SECRET_KEY);
        } catch (RuntimeException e) {
            stop();
            throw e;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start S3Proxy (log: " + HOME.resolve("s3proxy.log") + ")", e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
            process = null;
        }
    }

    /** A client of its own, e.g. with another secret than the server's. */
    public static S3Client client(String endpoint, String secretKey) {
        return client(endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey)));
    }

    /** A client of its own with these credentials, set up as the service's (checksums only where S3 requires them). */
    public static S3Client client(String endpoint, AwsCredentialsProvider credentials) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(credentials).build();
    }

    /** Any HTTP answer (403 without credentials) means it is serving. */
    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.getResponseCode();
            connection.disconnect();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
