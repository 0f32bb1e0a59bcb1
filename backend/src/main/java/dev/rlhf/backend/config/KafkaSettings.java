package dev.rlhf.backend.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.Optional;

/** Where the event stream lives. */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {

    /**
     * Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS). ./rlhf up starts an embedded broker and sets
     * it; without it the outbox keeps every event until a broker is configured.
     */
    @WithName("bootstrap.servers")
    Optional<String> bootstrapServers();
}
