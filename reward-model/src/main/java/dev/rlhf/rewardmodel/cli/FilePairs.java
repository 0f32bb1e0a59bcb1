package dev.rlhf.rewardmodel.cli;

import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PairKind;
import dev.rlhf.rewardmodel.dataset.PairOrigin;
import dev.rlhf.rewardmodel.training.PromptSplit;
import dev.rlhf.rewardmodel.training.TrainingData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A file's pairs as the trainer's {@link LabelledPair}s. Ids are derived from the content: a completion's
 * id from its prompt and text (so the same completion in two pairs is scored once and counted in the
 * majority vote), a pair's "judgment" id from its line. The prompt is the unit of the split.
 */
public final class FilePairs {

    private FilePairs() {
    }

    /** In file order; {@code strength} codes a margin as the trainer's preference strength. */
    public static List<LabelledPair> labelled(List<TrlPair> pairs, java.util.function.Function<Double, Integer> strength) {
        List<LabelledPair> out = new ArrayList<>(pairs.size());
        for (TrlPair p : pairs) {
            out.add(new LabelledPair(id("line:" + p.line()), p.prompt(), "file", p.prompt(),
                    completionId(p.prompt(), p.chosen()), p.chosen(), completionId(p.prompt(), p.rejected()), p.rejected(),
                    strength.apply(p.margin()), PairKind.PAIRWISE, PairOrigin.RATER, false, List.of()));
        }
        return out;
    }

    /** Train and validation by prompt with the worker's {@link PromptSplit}; no gold pairs, nothing filtered. */
    public static TrainingData split(List<LabelledPair> pairs, PromptSplit split) {
        List<LabelledPair> train = new ArrayList<>(), validation = new ArrayList<>();
        Set<UUID> used = new TreeSet<>();
        for (LabelledPair p : pairs) {
            (split.isValidation(p.promptId()) ? validation : train).add(p);
            used.add(p.judgmentId());
        }
        return new TrainingData(List.copyOf(train), List.copyOf(validation), List.of(), used, 0);
    }

    /** The file's margin of each pair (0 where it has none), in the order of {@code pairs}. */
    public static double[] margins(List<LabelledPair> pairs, List<TrlPair> source) {
        java.util.Map<UUID, Double> byLine = new java.util.HashMap<>();
        for (TrlPair p : source) byLine.put(id("line:" + p.line()), p.margin() == null ? 0.0 : p.margin());
        return pairs.stream().mapToDouble(p -> byLine.get(p.judgmentId())).toArray();
    }

    static UUID completionId(String prompt, String completion) {
        return id(prompt + '\u0000' + completion);
    }

    private static UUID id(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
