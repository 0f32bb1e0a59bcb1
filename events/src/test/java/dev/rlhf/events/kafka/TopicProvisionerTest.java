package dev.rlhf.events.kafka;

import dev.rlhf.embedded.LocalKafka;
import dev.rlhf.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicProvisionerTest {

    @Test
    void createsEveryPlatformTopicOnceWithItsPartitionsAndRetention() throws Exception {
        try (LocalKafka kafka = LocalKafka.startEphemeral();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertEquals(Arrays.asList(Topic.values()),
                    TopicProvisioner.ensureTopics(kafka.bootstrapServers(), 4, Optional.empty()));
            assertEquals(List.of(), TopicProvisioner.ensureTopics(kafka.bootstrapServers(), 4, Optional.empty()),
                    "a second start creates nothing");

            List<String> names = Arrays.stream(Topic.values()).map(Topic::topicName).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            topics.values().forEach(topic -> assertEquals(4, topic.partitions().size(), topic.name()));

            assertEquals("-1", retention(admin, Topic.JUDGMENTS));
            assertEquals("-1", retention(admin, Topic.POLICIES));
            assertEquals(String.valueOf(7L * 24 * 3600 * 1000), retention(admin, Topic.REWARDS),
                    "scores keep the broker's default retention");
        }
    }

    private static String retention(Admin admin, Topic topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName());
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.get("retention.ms").value();
    }
}
