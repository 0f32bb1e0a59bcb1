package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.model.OffsetRange;

import java.util.List;
import java.util.UUID;

/**
 * The dataset as of one moment, read in one repeatable-read transaction: what a version is trained on
 * and what its lineage names.
 *
 * @param judgmentIds every judgment materialised at that moment, sorted (ties, both-bad and filtered ones too)
 * @param raterPairs  pairs from the raters' verdicts
 * @param goldPairs   pairs from gold tasks' known answers
 * @param latestSeq   arrival number of the newest judgment seen
 * @param offsets     the topic's records behind this state: {@code [0, next offset)} per partition
 */
public record DatasetSnapshot(List<UUID> judgmentIds, List<LabelledPair> raterPairs, List<LabelledPair> goldPairs,
                              long latestSeq, List<OffsetRange> offsets) {
}
