package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Topics, users and ACLs in deploy/infra match what the services really consume and produce — read from their
 * application.properties and from the event records their code constructs, not from a list kept here.
 */
class KafkaWiringTest {
    /**
     * The services that read the tenant registry ({@code tenants}, ADR 0021 decision 5) into their quota book: each
     * instance reads the whole compacted topic with a group of its own, {@code <service>-tenants-${quarkus.uuid}}, so
     * their users are granted the topic and that group prefix; {@link #aServiceReadingTheTenantRegistryUsesTheGroupItsUserIsGranted}
     * holds every channel that consumes {@code tenants} to its service's prefix.
     */
    static final Map<String, String> TENANT_REGISTRY_GROUPS = Map.of(
            "rollout-service", "rollout-service-tenants-",
            "device-gateway", "device-gateway-tenants-");


    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyTopicAServiceUsesIsAKafkaTopicAndNoTopicIsUnused(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        Set<String> declared = topicNames(objects);

        Set<String> used = new TreeSet<>();
        for (String service : Repo.SERVICES) {
            ServiceFacts facts = ServiceFacts.of(service);
            assertThat(declared).as("KafkaTopics for the topics %s uses", service).containsAll(facts.topics());
            used.addAll(facts.topics());
        }
        assertThat(declared).as("KafkaTopics no service uses").isSubsetOf(used);
        assertThat(declared).as("every topic of the events module").containsAll(Topics.ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyConsumedTopicHasItsDeadLetterTopic(String overlay) {
        Set<String> declared = topicNames(Kustomize.overlay(overlay));
        for (String service : Repo.SERVICES) {
            ServiceFacts facts = ServiceFacts.of(service);
            for (List<String> topics : facts.deadLetteredChannels().values()) {
                for (String topic : topics) {
                    assertThat(facts.deadLetterTopics()).as("%s parks unreadable %s records on <topic>.dlq", service, topic)
                            .contains(Topics.deadLetter(topic));
                    assertThat(declared).contains(Topics.deadLetter(topic));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void topicsAndUsersBelongToTheKafkaCluster(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        String cluster = Objects.name(Objects.ofKind(objects, "Kafka").get(0));
        for (String kind : List.of("KafkaTopic", "KafkaUser", "KafkaNodePool")) {
            assertThat(Objects.ofKind(objects, kind)).allSatisfy(o ->
                    assertThat(o.at("/metadata/labels/strimzi.io~1cluster").asText()).as(Objects.id(o)).isEqualTo(cluster));
        }
        assertThat(Objects.ofKind(objects, "KafkaNodePool").stream()
                .flatMap(p -> Objects.list(p.at("/spec/roles")).stream()).map(JsonNode::asText).collect(Collectors.toSet()))
                .as("KRaft: controllers and brokers in node pools").contains("controller", "broker");
        assertThat(Objects.ofKind(objects, "Kafka").get(0).at("/spec/kafka/config/auto.create.topics.enable").asBoolean(true))
                .as("topics exist only as KafkaTopics").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void eachServiceIsGrantedExactlyTheTopicsAndGroupItUses(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (String service : Repo.SERVICES) {
            ServiceFacts facts = ServiceFacts.of(service);
            Set<String> expected = new TreeSet<>();
            facts.readTopics().forEach(t -> expected.addAll(grants("topic", t, "literal", "Read", "Describe")));
            facts.consumerGroups().forEach(g -> expected.addAll(grants("group", g.substring(0, g.lastIndexOf(':')),
                    g.substring(g.lastIndexOf(':') + 1), "Read")));
            facts.deadLetterTopics().forEach(t -> expected.addAll(grants("topic", t, "literal", "Write", "Describe")));
            facts.producedTopics().forEach(t -> expected.addAll(grants("topic", t, "literal", "Write", "Describe")));
            facts.streamsApplicationId().ifPresent(id -> {
                // the topology's own repartition and changelog topics are named <application id>-...
                expected.addAll(grants("topic", id, "prefix", "Create", "Delete", "Describe", "DescribeConfigs", "Read",
                        "Write"));
                if (facts.streamsExactlyOnce()) {
                    expected.addAll(grants("transactionalId", id, "prefix", "Write", "Describe"));
                }
            });
            expected.addAll(grants("cluster", "kafka-cluster", "literal", "IdempotentWrite"));
            if (TENANT_REGISTRY_GROUPS.containsKey(service)) {
                expected.addAll(grants("topic", Topics.TENANTS, "literal", "Read", "Describe"));
                expected.addAll(grants("group", TENANT_REGISTRY_GROUPS.get(service), "prefix", "Read"));
            }

            JsonNode user = Objects.get(objects, "KafkaUser", service);
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : Objects.list(user.at("/spec/authorization/acls"))) {
                JsonNode resource = acl.get("resource");
                String type = resource.path("type").asText();
                String name = type.equals("cluster") ? "kafka-cluster" : resource.path("name").asText();
                String pattern = resource.path("patternType").asText("literal");
                // kafka.strimzi.io/v1 has only the list `operations` (v1beta2's single `operation` is gone)
                Objects.list(acl.get("operations"))
                        .forEach(op -> granted.add(type + ":" + name + ":" + pattern + ":" + op.asText()));
            }
            assertThat(granted).as("ACLs of KafkaUser %s (least privilege: what it consumes, parks and produces)", service)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aServiceReadingTheTenantRegistryUsesTheGroupItsUserIsGranted() {
        for (String service : Repo.SERVICES) {
            ServiceFacts facts = ServiceFacts.of(service);
            facts.consumedTopics().forEach((channel, topics) -> {
                if (topics.contains(Topics.TENANTS)) {
                    assertThat(TENANT_REGISTRY_GROUPS).as("%s reads tenants: its group prefix is granted", service)
                            .containsKey(service);
                    assertThat(facts.property("mp.messaging.incoming." + channel + ".group.id").orElse(""))
                            .as("%s reads tenants with a group of its own per instance", service)
                            .startsWith(TENANT_REGISTRY_GROUPS.get(service) + "${");
                }
            });
        }
        assertThat(ServiceFacts.of("release-service").producedTopics()).as("the registry's owner announces it")
                .contains(Topics.TENANTS);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void servicesLogInAsTheirUserOverTheListenerThatAuthenticatesThem(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        JsonNode kafka = Objects.ofKind(objects, "Kafka").get(0);
        JsonNode clientConfig = Objects.get(objects, "ConfigMap", "updraft-kafka-client").get("data");
        String bootstrap = clientConfig.path("KAFKA_BOOTSTRAP_SERVERS").asText();
        JsonNode listener = Objects.list(kafka.at("/spec/kafka/listeners")).stream()
                .filter(l -> bootstrap.equals(Objects.name(kafka) + "-kafka-bootstrap:" + l.path("port").asInt()))
                .findFirst().orElseThrow(() -> new AssertionError("no listener of " + Objects.name(kafka) + " at " + bootstrap));

        assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
        assertThat(clientConfig.path("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(clientConfig.path("KAFKA_SECURITY_PROTOCOL").asText())
                .isEqualTo(listener.path("tls").asBoolean() ? "SASL_SSL" : "SASL_PLAINTEXT");
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).as("ACLs are enforced").isEqualTo("simple");

        for (String service : Repo.SERVICES) {
            JsonNode user = Objects.get(objects, "KafkaUser", service);
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            JsonNode container = Objects.container(objects, service);
            JsonNode jaas = Objects.list(container.get("env")).stream()
                    .filter(e -> e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no KAFKA_SASL_JAAS_CONFIG"));
            assertThat(jaas.at("/valueFrom/secretKeyRef/name").asText()).as("%s logs in as its KafkaUser", service)
                    .isEqualTo(Objects.name(user));
            assertThat(jaas.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("sasl.jaas.config");
            assertThat(Objects.list(container.get("envFrom")).stream().map(e -> e.at("/configMapRef/name").asText()))
                    .contains("updraft-kafka-client");
        }
    }

    private static Set<String> topicNames(List<JsonNode> objects) {
        return Objects.ofKind(objects, "KafkaTopic").stream()
                .map(t -> t.at("/spec/topicName").asText(Objects.name(t)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> grants(String type, String name, String pattern, String... operations) {
        Set<String> out = new TreeSet<>();
        for (String op : operations) {
            out.add(type + ":" + name + ":" + pattern + ":" + op);
        }
        return out;
    }
}
