package dev.rlhf.events.kafka;

import dev.rlhf.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the platform's topics with their configs ({@link Topic#configs()}) on any cluster, local
 * or managed. Topics that exist are left alone: changing partitions of a live topic moves keys
 * between partitions and is an operator's decision, not a start-up side effect.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * @param partitions partitions per topic
     * @param replicationFactor replicas per partition, or empty for the broker's default
     * @return the topics that were created now
     */
    public static List<Topic> ensureTopics(String bootstrapServers, int partitions, Optional<Short> replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<Topic> created = Arrays.stream(Topic.values())
                    .filter(topic -> create(admin, new NewTopic(topic.topicName(), Optional.of(partitions),
                            replicationFactor).configs(topic.configs())))
                    .toList();
            awaitServed(admin);
            return created;
        }
    }

    /**
     * A create returns once the controller has the topic; brokers learn of it a moment later, and
     * until then they answer "unknown topic". Callers get topics they can use at once.
     */
    private static void awaitServed(Admin admin) {
        List<String> names = Arrays.stream(Topic.values()).map(Topic::topicName).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (true) {
                try {
                    admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("topics " + names + " are not served: "
                                + e.getCause().getMessage(), e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + names, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("describing topics " + names + " timed out", e);
        }
    }

    private static boolean create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic), new CreateTopicsOptions()).all().get(60, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("could not create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic.name() + " timed out after 60 s", e);
        }
    }
}
