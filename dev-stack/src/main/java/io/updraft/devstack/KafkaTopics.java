package io.updraft.devstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the stack's topics, the one way every infrastructure path does it (dev-stack's child, the three-node
 * cluster, the Kafka container): each topic that does not exist yet, then a wait until the broker describes every
 * one with all its partitions led. A created topic is not yet a visible one: with Kafka 4.3 a describe right after
 * the create can still answer "unknown topic or partition" while the broker applies the controller's metadata.
 */
public final class KafkaTopics {
    /** The third part of a topic spec that makes it a compacted topic. */
    public static final String COMPACT = "compact";

    private KafkaTopics() {
    }

    /**
     * {@code name:partitions[:compact]} specs (as {@link DevStack#TOPICS}) as topics with this replication and
     * {@code configs}; {@code compact} adds {@code cleanup.policy=compact}.
     */
    public static List<NewTopic> of(List<String> specs, int defaultPartitions, short replication,
            Map<String, String> configs) {
        return specs.stream().filter(spec -> !spec.isBlank()).map(spec -> {
            String[] parts = spec.split(":");
            int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : defaultPartitions;
            Map<String, String> topicConfigs = configs;
            if (parts.length > 2 && COMPACT.equals(parts[2])) {
                topicConfigs = new java.util.HashMap<>(configs);
                topicConfigs.put("cleanup.policy", "compact");
            }
            return new NewTopic(parts[0], partitions, replication).configs(topicConfigs);
        }).toList();
    }

    /** Creates those of {@code topics} that are missing and waits until every one is described, fully led. */
    public static void create(Admin admin, List<NewTopic> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + topic.name() + ": " + e.getCause(),
                                e);
                    }
                }
            }
            List<String> names = topics.stream().map(NewTopic::name).toList();
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                            .get(Math.min(remaining(deadline), TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
                    if (topics.stream().allMatch(topic -> visible(described.get(topic.name()), topic))) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
                    last = notYet;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the topics " + names + " were not all visible within " + timeout, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating the topics took longer than " + timeout, e);
        }
    }

    private static boolean visible(TopicDescription description, NewTopic topic) {
        return description != null && description.partitions().size() == topic.numPartitions()
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
