package dev.rlhf.events.kafka;

import dev.rlhf.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

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
            return Arrays.stream(Topic.values())
                    .filter(topic -> create(admin, new NewTopic(topic.topicName(), Optional.of(partitions),
                            replicationFactor).configs(topic.configs())))
                    .toList();
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
