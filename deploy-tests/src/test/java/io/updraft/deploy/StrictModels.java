package io.updraft.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.util.Map;

/**
 * Reads rendered objects into the typed models of their API — fabric8's Kubernetes models, Strimzi's {@code api},
 * fabric8's Prometheus Operator models — and fails on any field the model does not have. Those models keep unknown
 * fields in an {@code additionalProperties} map (a {@code @JsonAnySetter}) and some ignore unknown properties;
 * this mapper turns both off, so a misspelt or misplaced field is an error, as the API server's schema would have it.
 */
final class StrictModels {
    /** apiVersion + kind → model class. Anything else in a rendered overlay is an error too. */
    static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("v1/ServiceAccount", "io.fabric8.kubernetes.api.model.ServiceAccount"),
            Map.entry("v1/PersistentVolumeClaim", "io.fabric8.kubernetes.api.model.PersistentVolumeClaim"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("networking.k8s.io/v1/Ingress", "io.fabric8.kubernetes.api.model.networking.v1.Ingress"),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor"),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser"));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }

                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
                    JsonIgnoreProperties.Value declared = super.findPropertyIgnoralByName(config, annotated);
                    return declared.withoutIgnoreUnknown();
                }
            });

    static boolean knows(JsonNode object) {
        return MODELS.containsKey(key(object));
    }

    /** @throws AssertionError naming the object and the field the model does not know */
    static Object read(JsonNode object) {
        String className = MODELS.get(key(object));
        if (className == null) {
            throw new AssertionError(Objects.id(object) + ": no schema for " + key(object));
        }
        try {
            return MAPPER.treeToValue(object, Class.forName(className));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("model class missing: " + className, e);
        } catch (Exception e) {
            throw new AssertionError(Objects.id(object) + " (" + key(object) + ") does not match its schema: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    private StrictModels() {
    }
}
