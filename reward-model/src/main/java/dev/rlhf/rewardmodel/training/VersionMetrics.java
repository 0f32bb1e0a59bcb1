package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.dataset.LabelledPair;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A version's evaluation from the rewards it gives each completion:
 * <ul>
 * <li>{@code validation_accuracy}: share of held-out pairs with r_chosen &gt; r_rejected;</li>
 * <li>{@code gold_accuracy}: the same on gold tasks' known answers;</li>
 * <li>{@code validation_ece}: {@link Calibration} of σ(Δr) on held-out pairs;</li>
 * <li>{@code majority_agreement}: per two completions that held-out raters compared, whether the model
 *     orders them as the strict majority of those raters did (ties in the vote are left out);</li>
 * <li>{@code validation_margin}: mean Δr on held-out pairs.</li>
 * </ul>
 */
public final class VersionMetrics {
    public static final String VALIDATION_ACCURACY = "validation_accuracy";
    public static final String VALIDATION_PAIRS = "validation_pairs";
    public static final String VALIDATION_ECE = "validation_ece";
    public static final String VALIDATION_MARGIN = "validation_margin";
    public static final String GOLD_ACCURACY = "gold_accuracy";
    public static final String GOLD_PAIRS = "gold_pairs";
    public static final String MAJORITY_AGREEMENT = "majority_agreement";
    public static final String MAJORITY_GROUPS = "majority_groups";
    public static final int ECE_BINS = 10;

    private VersionMetrics() {
    }

    /** Accuracy of pairs under the given completion rewards; NaN for no pairs. */
    public static double accuracy(List<LabelledPair> pairs, Map<UUID, Double> rewards) {
        if (pairs.isEmpty()) return Double.NaN;
        long right = pairs.stream().filter(p -> delta(p, rewards) > 0).count();
        return (double) right / pairs.size();
    }

    public static Map<String, Double> of(List<LabelledPair> validation, List<LabelledPair> gold, Map<UUID, Double> rewards) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] deltas = validation.stream().mapToDouble(p -> delta(p, rewards)).toArray();
        m.put(VALIDATION_ACCURACY, accuracy(validation, rewards));
        m.put(VALIDATION_PAIRS, (double) validation.size());
        m.put(VALIDATION_ECE, Calibration.expectedCalibrationError(deltas, ECE_BINS));
        m.put(VALIDATION_MARGIN, deltas.length == 0 ? Double.NaN : java.util.Arrays.stream(deltas).average().orElseThrow());
        m.put(GOLD_ACCURACY, accuracy(gold, rewards));
        m.put(GOLD_PAIRS, (double) gold.size());
        double[] agreement = majorityAgreement(validation, rewards);
        m.put(MAJORITY_AGREEMENT, agreement[0]);
        m.put(MAJORITY_GROUPS, agreement[1]);
        return m;
    }

    /** {agreement, groups with a strict majority}. */
    static double[] majorityAgreement(List<LabelledPair> pairs, Map<UUID, Double> rewards) {
        // votes[{x, y}] = (#x preferred) - (#y preferred), with x the smaller id
        Map<List<UUID>, Integer> votes = new HashMap<>();
        for (LabelledPair p : pairs) {
            boolean chosenFirst = p.chosenId().compareTo(p.rejectedId()) < 0;
            List<UUID> key = chosenFirst ? List.of(p.chosenId(), p.rejectedId()) : List.of(p.rejectedId(), p.chosenId());
            votes.merge(key, chosenFirst ? 1 : -1, Integer::sum);
        }
        int groups = 0, agreed = 0;
        for (Map.Entry<List<UUID>, Integer> vote : votes.entrySet()) {
            if (vote.getValue() == 0) continue;
            groups++;
            double firstMinusSecond = rewards.get(vote.getKey().get(0)) - rewards.get(vote.getKey().get(1));
            if (Math.signum(firstMinusSecond) == Math.signum(vote.getValue())) agreed++;
        }
        return new double[] {groups == 0 ? Double.NaN : (double) agreed / groups, groups};
    }

    static double delta(LabelledPair p, Map<UUID, Double> rewards) {
        Double chosen = rewards.get(p.chosenId()), rejected = rewards.get(p.rejectedId());
        if (chosen == null || rejected == null) {
            throw new IllegalStateException("no reward for a completion of judgment " + p.judgmentId());
        }
        return chosen - rejected;
    }
}
