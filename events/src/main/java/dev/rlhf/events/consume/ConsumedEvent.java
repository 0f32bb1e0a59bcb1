package dev.rlhf.events.consume;

import dev.rlhf.events.RlhfEvent;
import org.apache.kafka.common.TopicPartition;

/** An event with the place it was read from; materialisers may store the offset as provenance. */
public record ConsumedEvent<E extends RlhfEvent>(TopicPartition partition, long offset, E event) {
}
