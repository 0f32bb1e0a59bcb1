package dev.rlhf.rewardmodel.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.Optional;

/** Where the event stream lives. */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {

    /** Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS). Without it the worker reads and publishes nothing. */
    @WithName("bootstrap.servers")
    Optional<String> bootstrapServers();
}
