package dev.rlhf.events.consume;

import dev.rlhf.events.RlhfEvent;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns a topic's events into durable state (a table, a training set) for a
 * {@link MaterialisingConsumer}. The materialiser, not Kafka, is the authority on how far it has
 * read: it stores the positions in the same transaction as the data, so the two cannot disagree.
 */
public interface Materialiser<E extends RlhfEvent> {

    /**
     * The next offset to read for each of the partitions that has one stored; a partition without
     * one is read from offset zero.
     */
    Map<TopicPartition, Long> storedPositions(Collection<TopicPartition> partitions);

    /**
     * Applies the batch and stores {@code positionsAfter} in one transaction, durable when this
     * returns. Must absorb an event whose id it has already applied (a producer's resend, or a
     * replay of a batch whose write was durable but whose Kafka commit was not).
     */
    void write(List<ConsumedEvent<E>> batch, Map<TopicPartition, Long> positionsAfter);

    /** Forgets all materialised state and all stored positions, in one transaction, for a rebuild from zero. */
    void clear();
}
