package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.RlhfEvent;
import dev.rlhf.events.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Sends events to their topic under their key, with the producer settings the delivery contract
 * needs. Thread-safe: one per service.
 */
public final class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();

    /** A publisher with {@link #recommendedConfig(String)}, plus any overrides. */
    public EventPublisher(String bootstrapServers, Map<String, Object> overrides) {
        Properties config = recommendedConfig(bootstrapServers);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The settings of the delivery contract: idempotent (the broker drops a retried batch it already
     * has, and keeps per-partition order), acknowledged by all in-sync replicas, and retried for as
     * long as the caller is willing to wait, so a broker restart delays sends instead of failing them.
     * What still fails (the delivery timeout expires) the caller resends with the same event id.
     */
    public static Properties recommendedConfig(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        // A few milliseconds of batching: throughput under load without hurting the latency target.
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    /**
     * Sends the event; the future completes when the broker has it (acks=all) or delivery gave up.
     * Every failure, including one raised before the send (no metadata within {@code max.block.ms}),
     * arrives through the future, so a relay has one place to handle it.
     */
    public CompletableFuture<RecordMetadata> publish(RlhfEvent event) {
        try {
            return publishEncoded(event.topic(), event.key(), codec.encode(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends an event already encoded by {@link EventCodec#encode}, as an outbox relay does with the
     * bytes its transaction stored: the same id, the same bytes, on every resend.
     */
    public CompletableFuture<RecordMetadata> publishEncoded(Topic topic, String key, byte[] json) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.topicName(), key, json);
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /** Blocks until every send so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
