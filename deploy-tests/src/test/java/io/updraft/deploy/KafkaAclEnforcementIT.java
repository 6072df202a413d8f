package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the per-service ACLs of deploy/ enforced by a real broker. A KRaft broker (Kafka 4.3, in this JVM) with
 * the StandardAuthorizer on and {@code allow.everyone.if.no.acl.found=false} gets the topics and the ACLs of the
 * rendered dev overlay's KafkaTopics and KafkaUsers; then each service's principal produces to every topic. It must
 * succeed exactly on the topics the service writes — its events and its dead-letter topics, read from the service's
 * own code and application.properties ({@link ServiceFacts}), not from the ACLs — and be refused on every other one.
 */
class KafkaAclEnforcementIT {
    private static final String ADMIN = "admin";
    private static final String PASSWORD_SUFFIX = "-secret";

    @TempDir
    static Path dir;
    private static KafkaRaftServer broker;
    private static String bootstrap;
    private static Set<String> topics;
    private static List<JsonNode> users;

    @BeforeAll
    static void startBrokerWithTheAuthorizerOn() throws Exception {
        List<JsonNode> objects = Kustomize.overlay("dev");
        users = Objects.ofKind(objects, "KafkaUser");
        topics = Objects.ofKind(objects, "KafkaTopic").stream()
                .map(t -> t.at("/spec/topicName").asText(Objects.name(t)))
                .collect(Collectors.toCollection(TreeSet::new));

        int internal = freePort();
        int client = freePort();
        int controller = freePort();
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "user_" + ADMIN + "=\"" + ADMIN + PASSWORD_SUFFIX + "\"");
        users.forEach(u -> jaas.append(" user_").append(Objects.name(u)).append("=\"").append(Objects.name(u))
                .append(PASSWORD_SUFFIX).append('"'));
        jaas.append(';');
        Map<String, String> config = new TreeMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        config.put("listeners", "INTERNAL://127.0.0.1:" + internal + ",CLIENT://127.0.0.1:" + client
                + ",CONTROLLER://127.0.0.1:" + controller);
        config.put("advertised.listeners", "INTERNAL://127.0.0.1:" + internal + ",CLIENT://127.0.0.1:" + client);
        config.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "INTERNAL");
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put("listener.name.client.plain.sasl.jaas.config", jaas.toString());
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        // the broker's own listeners (inter-broker, controller) are PLAINTEXT on loopback: ANONYMOUS is the broker
        config.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
        config.put("log.dirs", dir.resolve("data").toString());
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        Path serverProperties = dir.resolve("server.properties");
        StringBuilder text = new StringBuilder();
        config.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(serverProperties, text.toString());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = kafka.tools.StorageTool.execute(new String[] { "format", "--cluster-id="
                + org.apache.kafka.common.Uuid.randomUuid(), "--config=" + serverProperties },
                new PrintStream(output, true, StandardCharsets.UTF_8));
        assertThat(status).as(output.toString(StandardCharsets.UTF_8)).isZero();
        Properties props = new Properties();
        props.putAll(config);
        broker = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        broker.startup();
        bootstrap = "127.0.0.1:" + client;

        try (Admin admin = Admin.create(clientConfig(ADMIN))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
            admin.createAcls(aclsOfUsers()).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    @Test
    void eachServiceCanWriteExactlyTheTopicsItOwns() {
        Map<String, Set<String>> refusedButOwned = new TreeMap<>();
        Map<String, Set<String>> allowedButNotOwned = new TreeMap<>();
        int attempts = 0;
        for (String service : Repo.SERVICES) {
            ServiceFacts facts = ServiceFacts.of(service);
            Set<String> owned = new TreeSet<>(facts.producedTopics());
            owned.addAll(facts.deadLetterTopics());
            for (String topic : topics) {
                boolean written = writes(service, topic);
                attempts++;
                if (owned.contains(topic) && !written) {
                    refusedButOwned.computeIfAbsent(service, s -> new TreeSet<>()).add(topic);
                } else if (!owned.contains(topic) && written) {
                    allowedButNotOwned.computeIfAbsent(service, s -> new TreeSet<>()).add(topic);
                }
            }
            assertThat(owned).as("%s writes some topic", service).isNotEmpty();
        }
        System.out.printf("ACL enforcement: %d writes tried by %d principals on %d topics; refused though owned: %s;"
                + " allowed though not owned: %s%n", attempts, Repo.SERVICES.size(), topics.size(), refusedButOwned,
                allowedButNotOwned);
        assertThat(allowedButNotOwned).as("writes the broker allowed to a topic the service does not own").isEmpty();
        assertThat(refusedButOwned).as("writes the broker refused to a topic the service owns").isEmpty();
    }

    @Test
    void noServiceCanWriteATopicGrantedToNobody() {
        String fresh = "not-granted-to-anyone";
        try (Admin admin = Admin.create(clientConfig(ADMIN))) {
            admin.createTopics(List.of(new NewTopic(fresh, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String service : Repo.SERVICES) {
            assertThat(writes(service, fresh)).as("%s writes a topic granted to nobody", service).isFalse();
        }
    }

    /**
     * The tenant registry's readers (ADR 0021 decision 5) read the compacted {@code tenants} topic from its start, each
     * instance in a group of its own ({@code <service>-tenants-<uuid>}): allowed for them with any uuid, refused for a
     * group outside the prefix and for a service that is not a reader.
     */
    @Test
    void theTenantRegistrysReadersReadItEachInAGroupOfItsOwn() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(ADMIN))) {
            producer.send(new ProducerRecord<>(io.updraft.events.Topics.TENANTS, "ACME", "{\"tenantId\":\"ACME\"}"))
                    .get(30, TimeUnit.SECONDS);
        }
        for (var reader : KafkaWiringTest.TENANT_REGISTRY_GROUPS.entrySet()) {
            for (int instance = 0; instance < 2; instance++) {
                String group = reader.getValue() + java.util.UUID.randomUUID();
                assertThat(reads(reader.getKey(), group)).as("%s as %s", reader.getKey(), group).isEqualTo("read");
            }
            assertThat(reads(reader.getKey(), reader.getKey() + "-other")).as("a group outside the prefix")
                    .isEqualTo("group refused");
        }
        assertThat(reads("telemetry-service", "rollout-service-tenants-" + java.util.UUID.randomUUID()))
                .as("not a reader of the registry").isNotEqualTo("read");
    }

    /** Polls {@code tenants} from its start as the service in the group: "read", "group refused" or "topic refused". */
    private static String reads(String service, String group) {
        Properties config = clientConfig(service);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(io.updraft.events.Topics.TENANTS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(java.time.Duration.ofMillis(500)).isEmpty()) {
                    return "read";
                }
            }
            throw new AssertionError(service + " in " + group + " read nothing in 30 s");
        } catch (GroupAuthorizationException e) {
            return "group refused";
        } catch (TopicAuthorizationException e) {
            return "topic refused";
        }
    }

    private static Properties producerConfig(String user) {
        Properties config = clientConfig(user);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    /** Sends one record as the service would (idempotent, acks=all); false if the broker refuses the topic. */
    private static boolean writes(String service, String topic) {
        Properties config = clientConfig(service);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "acl-test", "{}")).get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                return false;
            }
            throw new IllegalStateException(service + " → " + topic + ": " + e.getCause(), e);
        } catch (TopicAuthorizationException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(service + " → " + topic + ": " + e, e);
        }
    }

    /** The ACLs of every rendered KafkaUser, as the Strimzi User Operator would create them. */
    private static List<AclBinding> aclsOfUsers() {
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode user : users) {
            String principal = "User:" + Objects.name(user);
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                JsonNode resource = acl.path("resource");
                ResourceType type = switch (resource.path("type").asText()) {
                    case "topic" -> ResourceType.TOPIC;
                    case "group" -> ResourceType.GROUP;
                    case "cluster" -> ResourceType.CLUSTER;
                    case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                    default -> throw new IllegalArgumentException("resource type " + resource.path("type"));
                };
                String name = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
                PatternType pattern = "prefix".equals(resource.path("patternType").asText("literal"))
                        ? PatternType.PREFIXED : PatternType.LITERAL;
                for (JsonNode operation : acl.path("operations")) {
                    bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                            new AccessControlEntry(principal, acl.path("host").asText("*"), operation(operation.asText()),
                                    AclPermissionType.ALLOW)));
                }
            }
        }
        assertThat(bindings).as("ACLs in the rendered KafkaUsers").isNotEmpty();
        return bindings;
    }

    /** Strimzi's "IdempotentWrite" → Kafka's IDEMPOTENT_WRITE. */
    private static AclOperation operation(String strimzi) {
        return AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    private static Properties clientConfig(String user) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user + "\" password=\"" + user + PASSWORD_SUFFIX + "\";");
        return config;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
