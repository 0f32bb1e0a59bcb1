package dev.rlhf.rewardmodel.support;

import dev.rlhf.embedded.LocalKafka;
import dev.rlhf.events.kafka.TopicProvisioner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.Optional;

/** A real Kafka broker (KRaft, Apache Kafka's own server jars) with the platform's topics, 3 partitions each. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka broker;

    public static LocalKafka broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        broker = LocalKafka.startEphemeral();
        LocalKafka.withKafkasClassLoader(() -> TopicProvisioner.ensureTopics(broker.bootstrapServers(), 3, Optional.empty()));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
