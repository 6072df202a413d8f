package io.updraft.devstack.cluster;

import io.updraft.devstack.DevStack;
import io.updraft.devstack.KafkaTopics;
import io.updraft.devstack.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A three-node Kafka cluster (KRaft, every node broker and controller, a three-voter quorum) on loopback, each node
 * its own child JVM ({@link BrokerProcess}) that dies with this one: what a fault test needs to {@code kill -9} one
 * broker while producers and consumers keep going. Topics are {@link DevStack#TOPICS}, replicated to all three nodes
 * with {@code min.insync.replicas=2}; so are the offsets and transaction-state topics and anything auto-created.
 *
 * <p>Unlike {@link DevStack} this side uses Kafka's {@link Admin}: the caller needs {@code kafka-clients} on its
 * class path.
 */
public final class KafkaCluster implements AutoCloseable {
    public static final int NODES = 3;
    public static final int REPLICATION_FACTOR = 3;
    public static final int MIN_INSYNC_REPLICAS = 2;

    private final Map<Integer, JavaProcess> nodes;
    private final Map<Integer, Integer> ports;
    private final Admin admin;

    private KafkaCluster(Map<Integer, JavaProcess> nodes, Map<Integer, Integer> ports) {
        this.nodes = nodes;
        this.ports = ports;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        this.admin = Admin.create(props);
    }

    /** Starts the three nodes with their data under {@code dir}, creates the topics and waits until all replicas are in sync. */
    public static KafkaCluster start(Path dir) {
        Map<Integer, JavaProcess> nodes = new LinkedHashMap<>();
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();
        KafkaCluster cluster = null;
        try {
            for (int id = 1; id <= NODES; id++) {
                ports.put(id, DevStack.freePort());
                controllerPorts.put(id, DevStack.freePort());
            }
            String voters = controllerPorts.entrySet().stream()
                    .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue()).collect(Collectors.joining(","));
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            String classPath = DevStack.childClassPath();
            for (int id = 1; id <= NODES; id++) {
                Path nodeDir = dir.resolve("node-" + id).toAbsolutePath();
                List<String> arguments = List.of("--dir", nodeDir.toString(), "--node-id", String.valueOf(id),
                        "--port", String.valueOf(ports.get(id)), "--controller-port",
                        String.valueOf(controllerPorts.get(id)), "--voters", voters, "--cluster-id", clusterId,
                        "--parent-pid", String.valueOf(ProcessHandle.current().pid()));
                nodes.put(id, JavaProcess.mainClass("kafka node " + id, classPath, BrokerProcess.class.getName())
                        .jvmOptions(DevStack.jvmOptions(System.getProperty(DevStack.PROFILE_PROPERTY, "")))
                        .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn")
                        .arguments(arguments).log(nodeDir.resolve("broker.log")).start());
            }
            cluster = new KafkaCluster(nodes, ports);
            cluster.awaitAll(Duration.ofSeconds(180), "all nodes registered", cluster::allNodesRegistered);
            cluster.createTopics();
            cluster.awaitAll(Duration.ofSeconds(120), "every replica in sync", cluster::allReplicasInSync);
            return cluster;
        } catch (IOException e) {
            closeAll(cluster, nodes);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAll(cluster, nodes);
            throw e;
        }
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: every node, so a client survives any one of them dying. */
    public String bootstrapServers() {
        return ports.values().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public boolean isAlive(int nodeId) {
        return node(nodeId).isAlive();
    }

    /** The cluster's admin client (closed with the cluster). */
    public Admin admin() {
        return admin;
    }

    /** Partition → the node id of its leader ({@code -1} while it has none), as the cluster says now. */
    public Map<Integer, Integer> leaders(String topic) {
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (TopicPartitionInfo partition : describe(topic).partitions()) {
            Node leader = partition.leader();
            leaders.put(partition.partition(), leader == null || leader.isEmpty() ? -1 : leader.id());
        }
        return leaders;
    }

    /** Partition → the node ids in its in-sync replica set. */
    public Map<Integer, List<Integer>> inSyncReplicas(String topic) {
        Map<Integer, List<Integer>> isr = new TreeMap<>();
        for (TopicPartitionInfo partition : describe(topic).partitions()) {
            isr.put(partition.partition(), partition.isr().stream().map(Node::id).sorted().toList());
        }
        return isr;
    }

    /** SIGKILL of one node: no controlled shutdown, no leadership handed over, what a crashed machine looks like. */
    public void kill9(int nodeId) throws InterruptedException {
        node(nodeId).kill9();
    }

    public String logTail(int nodeId, int lines) {
        return node(nodeId).logTail(lines);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        stopAll(nodes);
    }

    private JavaProcess node(int nodeId) {
        JavaProcess node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + nodes.keySet());
        }
        return node;
    }

    private TopicDescription describe(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("describe " + topic + ": " + e, e);
        }
    }

    private void createTopics() {
        KafkaTopics.create(admin, KafkaTopics.of(DevStack.TOPICS, 4, (short) REPLICATION_FACTOR,
                Map.of("min.insync.replicas", String.valueOf(MIN_INSYNC_REPLICAS))), Duration.ofSeconds(60));
    }

    private boolean allNodesRegistered() {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == NODES;
        } catch (Exception notYet) {
            return false;
        }
    }

    private boolean allReplicasInSync() {
        try {
            List<String> names = DevStack.TOPICS.stream().map(spec -> spec.split(":")[0]).toList();
            return admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() == NODES);
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Waits for {@code condition}; fails with the log of a node that exited, or of all on timeout. */
    private void awaitAll(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (Map.Entry<Integer, JavaProcess> node : nodes.entrySet()) {
                if (!node.getValue().isAlive()) {
                    throw new IllegalStateException("kafka node " + node.getKey() + " exited before " + what + ":\n"
                            + node.getValue().logTail(40));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka cluster: not " + what + " after " + timeout + ":\n"
                        + nodes.values().stream().map(n -> n.logTail(20)).collect(Collectors.joining("\n---\n")));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static void closeAll(KafkaCluster cluster, Map<Integer, JavaProcess> nodes) {
        if (cluster != null) {
            cluster.close();
        } else {
            stopAll(nodes);
        }
    }

    /** SIGTERM to every node at once, so none waits in a controlled shutdown for a quorum the others already left. */
    private static void stopAll(Map<Integer, JavaProcess> nodes) {
        List<Thread> stopping = new ArrayList<>();
        for (JavaProcess node : nodes.values()) {
            Thread thread = new Thread(() -> node.stop(Duration.ofSeconds(15)), "kafka-node-stop");
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
