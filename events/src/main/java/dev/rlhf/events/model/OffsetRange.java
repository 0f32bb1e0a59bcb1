package dev.rlhf.events.model;

/**
 * The records {@code [fromOffset, toOffset)} of one partition of a topic: how lineage names the
 * judgments a model was trained on without listing millions of ids.
 */
public record OffsetRange(String topic, int partition, long fromOffset, long toOffset) {

    public OffsetRange {
        if (partition < 0 || fromOffset < 0 || toOffset < fromOffset) {
            throw new IllegalArgumentException("not an offset range: " + topic + "-" + partition
                    + " [" + fromOffset + ", " + toOffset + ")");
        }
    }

    public long count() {
        return toOffset - fromOffset;
    }
}
