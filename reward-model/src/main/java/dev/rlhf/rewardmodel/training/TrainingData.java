package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.dataset.DatasetSnapshot;
import dev.rlhf.rewardmodel.dataset.LabelledPair;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A snapshot's pairs split for one run: training and validation by prompt ({@link PromptSplit}), gold
 * answers apart, filtered judgments out.
 *
 * @param usedJudgments the judgments at least one training or validation pair came from, sorted
 */
public record TrainingData(List<LabelledPair> train, List<LabelledPair> validation, List<LabelledPair> gold,
                           Set<UUID> usedJudgments, int excludedPairs) {

    private static final java.util.Comparator<LabelledPair> CANONICAL = java.util.Comparator
            .comparing(LabelledPair::judgmentId).thenComparing(LabelledPair::chosenId).thenComparing(LabelledPair::rejectedId);

    public static TrainingData of(DatasetSnapshot snapshot, TrainingSettings settings) {
        PromptSplit split = new PromptSplit(settings.splitSalt(), settings.validationFraction());
        List<LabelledPair> train = new ArrayList<>(), validation = new ArrayList<>();
        Set<UUID> used = new TreeSet<>();
        int excluded = 0;
        for (LabelledPair pair : snapshot.raterPairs()) {
            if ((pair.gold() && !settings.includeGold())
                    || !Collections.disjoint(pair.flags(), settings.excludeFlags())) {
                excluded++;
                continue;
            }
            (split.isValidation(pair.promptId()) ? validation : train).add(pair);
            used.add(pair.judgmentId());
        }
        // Arrival order interleaves partitions differently on every replay; a run must not depend on it.
        train.sort(CANONICAL);
        validation.sort(CANONICAL);
        return new TrainingData(List.copyOf(train), List.copyOf(validation), List.copyOf(snapshot.goldPairs()),
                Collections.unmodifiableSet(used), excluded);
    }
}
