package io.updraft.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * For a test with its own {@code @TestProfile}: Quarkus restarts the application in a new class loader, where
 * {@link DevStack#shared()} would start a second broker and database in the same directory (and fail on its lock).
 * This resource points the restarted application at the stack this JVM already runs (found through the
 * {@code ready.properties} the stack writes, checked to be a live child of this JVM), and falls back to the shared
 * stack when none runs yet.
 */
public class RunningStackResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Path dir = Path.of("target", "dev-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
        Properties ready = running(dir);
        if (ready == null) {
            UpdraftStackResource shared = new UpdraftStackResource();
            shared.init(Map.of("database", "gateway"));
            return shared.start();
        }
        DevKeys keys = DevKeys.in(dir.resolve("keys"));
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", ready.getProperty("kafka.bootstrap.servers"));
        config.put("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + ready.getProperty("postgres.port") + "/gateway");
        config.put("quarkus.datasource.username", DevStack.DB_USER);
        config.put("quarkus.datasource.password", DevStack.DB_PASSWORD);
        config.put("mp.jwt.verify.publickey.location", keys.publicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.ISSUER);
        return config;
    }

    /** The stack's ready file if its process is alive and a child of this JVM, else null. */
    private static Properties running(Path dir) {
        Path file = dir.resolve("ready.properties");
        if (!Files.exists(file)) {
            return null;
        }
        Properties ready = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            ready.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long pid = Long.parseLong(ready.getProperty("pid", "-1"));
        boolean ours = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(ProcessHandle::parent).map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false);
        return ours ? ready : null;
    }

    @Override
    public void stop() {
        // the stack lives as long as the test JVM
    }
}
