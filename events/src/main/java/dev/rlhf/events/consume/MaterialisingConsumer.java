package dev.rlhf.events.consume;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.RlhfEvent;
import dev.rlhf.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one topic and hands each polled batch to a {@link Materialiser}; exactly-once in effect on
 * an at-least-once stream.
 *
 * <p>Per batch: decode, {@link Materialiser#write} (data and positions in one durable transaction),
 * then commit the offsets to Kafka. Positions come from the materialiser on every partition
 * assignment, so a crash anywhere in that sequence replays at most the unwritten batch, and a
 * duplicate on the wire is absorbed by the materialiser's event-id key. The Kafka commit exists for
 * lag monitoring; it never decides where reading resumes.
 *
 * <p>One materialisation is read by one consumer at a time; {@link #rebuild()} clears the whole
 * materialisation and re-reads every partition from offset zero.
 */
public final class MaterialisingConsumer<E extends RlhfEvent> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MaterialisingConsumer.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Topic topic;
    private final Class<E> eventType;
    private final Materialiser<E> materialiser;
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final AtomicBoolean rebuildRequested = new AtomicBoolean();
    private final Thread poller;
    private volatile boolean started;
    private volatile boolean closing;
    private volatile Throwable failure;

    public MaterialisingConsumer(String bootstrapServers, String groupId, Topic topic, Class<E> eventType,
                                 Materialiser<E> materialiser) {
        this(bootstrapServers, groupId, topic, eventType, materialiser, Map.of());
    }

    /** @param overrides Kafka consumer settings to change, for example {@code max.poll.records} */
    public MaterialisingConsumer(String bootstrapServers, String groupId, Topic topic, Class<E> eventType,
                                 Materialiser<E> materialiser, Map<String, Object> overrides) {
        this.topic = topic;
        this.eventType = eventType;
        this.materialiser = materialiser;
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only what a producer committed, should producers ever use transactions.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        // Static membership: one materialisation has one consumer. A restarted worker takes its
        // partitions back at once instead of waiting for the dead one's session to expire (45 s),
        // and a second instance started by mistake is fenced instead of splitting the partitions.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId);
        config.putAll(overrides);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::pollUntilClosed, "materialise-" + topic.topicName() + "-" + groupId);
    }

    /** Starts reading on a thread of its own. */
    public void start() {
        started = true;
        poller.start();
    }

    /** Asks the reading thread to clear the materialisation and read again from offset zero. */
    public void rebuild() {
        rebuildRequested.set(true);
    }

    public boolean isRunning() {
        return poller.isAlive();
    }

    /**
     * Why reading stopped, if it stopped on its own: an event it cannot read, or an {@link Error}.
     * A failing write does not stop it; it is retried with backoff and logged.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops reading. A batch being written is finished first, unless its write is failing and being retried. */
    @Override
    public void close() {
        closing = true;
        if (!started) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollUntilClosed() {
        try {
            consumer.subscribe(List.of(topic.topicName()), new ResumeFromStoredPositions());
            while (!closing) {
                if (rebuildRequested.getAndSet(false)) {
                    materialiser.clear();
                    consumer.seekToBeginning(consumer.assignment());
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    materialise(records);
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                failure = e;
            }
        } catch (Throwable e) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "stopped materialising " + topic.topicName() + ": " + e.getMessage(), e);
        } finally {
            consumer.close();
        }
    }

    private void materialise(ConsumerRecords<String, byte[]> records) {
        List<ConsumedEvent<E>> batch = new ArrayList<>(records.count());
        Map<TopicPartition, Long> positionsAfter = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            batch.add(new ConsumedEvent<>(partition, record.offset(), decode(record)));
            positionsAfter.put(partition, record.offset() + 1);
        }
        writeUntilDurable(batch, positionsAfter);
        commitToKafka(positionsAfter);
    }

    /**
     * A database restart should delay the stream, not end it: the same batch is written again with
     * backoff, which is safe because the write is all-or-nothing and idempotent. If this outlasts
     * {@code max.poll.interval.ms} the group moves on without us; the next poll rejoins and resumes
     * from the stored positions.
     */
    private void writeUntilDurable(List<ConsumedEvent<E>> batch, Map<TopicPartition, Long> positionsAfter) {
        long backoffMs = MIN_BACKOFF.toMillis();
        while (true) {
            try {
                materialiser.write(batch, positionsAfter);
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "writing " + batch.size() + " events of " + topic.topicName()
                        + " failed, retrying in " + backoffMs + " ms: " + e.getMessage());
                sleepUnlessClosing(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private void sleepUnlessClosing(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (!closing && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private E decode(ConsumerRecord<String, byte[]> record) {
        try {
            return codec.decode(record.value(), eventType);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + record.topic() + "-" + record.partition() + " offset "
                    + record.offset() + ": " + e.getMessage(), e);
        }
    }

    /** Best effort: the data and positions are already durable, so a failed commit only delays lag metrics. */
    private void commitToKafka(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.log(System.Logger.Level.WARNING, "offset commit to Kafka failed; positions are stored with the data: "
                    + e.getMessage());
        }
    }

    /** Where reading resumes is decided by the materialiser's stored positions, never by Kafka's. */
    private final class ResumeFromStoredPositions implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> stored = materialiser.storedPositions(partitions);
            List<TopicPartition> fromZero = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Long position = stored.get(partition);
                if (position == null) {
                    fromZero.add(partition);
                } else {
                    consumer.seek(partition, position);
                }
            }
            consumer.seekToBeginning(fromZero);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing in flight: a batch is written before the next poll can rebalance.
        }
    }
}
