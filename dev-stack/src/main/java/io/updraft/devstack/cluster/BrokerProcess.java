package io.updraft.devstack.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of one {@link KafkaCluster} node: a Kafka server in KRaft mode with the combined broker and
 * controller roles, one voter of the cluster's quorum. It writes its {@code server.properties}, formats its log
 * directory on first start and runs {@code kafka.Kafka}; it halts when its parent exits, so a killed test run never
 * leaves a broker behind.
 *
 * <p>Arguments: {@code --dir D --node-id N --port P --controller-port C --voters 1@host:port,... --cluster-id ID
 * [--parent-pid P]}.
 */
public final class BrokerProcess {
    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path dir = Path.of(options.get("dir")).toAbsolutePath();
        Files.createDirectories(dir);
        Path serverProperties = dir.resolve("server.properties");
        Files.writeString(serverProperties, serverConfig(dir, options));
        formatOnce(dir, serverProperties, options.get("cluster-id"));

        String parentPid = options.get("parent-pid");
        if (parentPid != null) {
            // halt, not exit: the cluster is a throwaway test fixture, and a controlled shutdown with the other
            // nodes gone would wait for a quorum that is not coming back
            ProcessHandle.of(Long.parseLong(parentPid)).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                    () -> Runtime.getRuntime().halt(0));
        }
        kafka.Kafka.main(new String[] { serverProperties.toString() });
    }

    static String serverConfig(Path dir, Map<String, String> options) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", options.get("node-id"));
        config.put("controller.quorum.voters", options.get("voters"));
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + options.get("port") + ",CONTROLLER://127.0.0.1:"
                + options.get("controller-port"));
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + options.get("port"));
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dir.resolve("data").toString());
        // every topic, created or auto-created (dead letters, Kafka Streams' internal topics), is replicated to
        // every node and refuses acks=all writes with fewer than two replicas in sync
        config.put("default.replication.factor", String.valueOf(KafkaCluster.REPLICATION_FACTOR));
        config.put("min.insync.replicas", String.valueOf(KafkaCluster.MIN_INSYNC_REPLICAS));
        config.put("num.partitions", "4");
        config.put("auto.create.topics.enable", "true");
        config.put("offsets.topic.replication.factor", String.valueOf(KafkaCluster.REPLICATION_FACTOR));
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", String.valueOf(KafkaCluster.REPLICATION_FACTOR));
        config.put("transaction.state.log.min.isr", String.valueOf(KafkaCluster.MIN_INSYNC_REPLICAS));
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.replication.factor", String.valueOf(KafkaCluster.REPLICATION_FACTOR));
        config.put("share.coordinator.state.topic.min.isr", String.valueOf(KafkaCluster.MIN_INSYNC_REPLICAS));
        config.put("group.initial.rebalance.delay.ms", "0");
        // an unclean leader (a replica out of sync) would lose acknowledged records: never
        config.put("unclean.leader.election.enable", "false");
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static void formatOnce(Path dir, Path serverProperties, String clusterId) {
        if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = kafka.tools.StorageTool.execute(new String[] { "format", "--cluster-id=" + clusterId,
                "--config=" + serverProperties }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> parse(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("dir", "node-id", "port", "controller-port", "voters", "cluster-id")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing --" + required);
            }
        }
        return options;
    }
}
