package dev.rlhf.rewardmodel.dataset;

import java.util.Map;

/**
 * What the materialised dataset holds.
 *
 * @param judgmentsByOutcome judgments per verdict (A, B, TIE, BOTH_BAD, RANKING); ties and both-bad make no pairs
 * @param raterPairs         pairs from the raters' verdicts (two-way choices plus expanded rankings)
 * @param rankingPairs       of those, the pairs expanded from N-way rankings
 * @param goldAnswerPairs    pairs from gold tasks' known answers (the gold evaluation set)
 * @param positions          next offset to read per {@code topic-partition}
 */
public record DatasetSummary(long judgments, Map<String, Long> judgmentsByOutcome, long goldJudgments,
                             long flaggedJudgments, long prompts, long completions, long raterPairs,
                             long rankingPairs, long goldAnswerPairs, Map<String, Long> positions) {
}
