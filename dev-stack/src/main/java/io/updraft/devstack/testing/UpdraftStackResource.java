package io.updraft.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.updraft.devstack.DevKeys;
import io.updraft.devstack.DevStack;
import io.updraft.devstack.DevTokens;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM's one real Kafka + PostgreSQL ({@link DevStack#shared()}) and at the dev
 * JWT key. Init arg {@code database}: the service's database (release, rollout, gateway, telemetry).
 */
public class UpdraftStackResource implements QuarkusTestResourceLifecycleManager {
    private String database = "postgres";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        DevStack stack = DevStack.shared();
        DevKeys keys = keys();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
        config.put("quarkus.datasource.jdbc.url", stack.jdbcUrl(database));
        config.put("quarkus.datasource.username", DevStack.DB_USER);
        config.put("quarkus.datasource.password", DevStack.DB_PASSWORD);
        config.put("mp.jwt.verify.publickey.location", keys.publicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.ISSUER);
        return config;
    }

    @Override
    public void stop() {
        // the stack lives as long as the test JVM: one broker and one database server per JVM, not per test
    }

    /** The dev key pair of this test JVM. */
    public static DevKeys keys() {
        return DevKeys.in(DevStack.shared().dir().resolve("keys"));
    }

    public static DevTokens tokens() {
        return keys().tokens();
    }
}
