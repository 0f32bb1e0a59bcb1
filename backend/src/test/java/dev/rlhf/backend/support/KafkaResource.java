package dev.rlhf.backend.support;

import dev.rlhf.embedded.LocalKafka;
import dev.rlhf.events.kafka.TopicProvisioner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.Optional;

/** A real Kafka broker (KRaft, Apache Kafka's own server jars) for the whole test run. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka broker;

    /** The running broker, for tests that stop and restart it. */
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
