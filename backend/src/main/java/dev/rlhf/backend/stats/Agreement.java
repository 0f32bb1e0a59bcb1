package dev.rlhf.backend.stats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Inter-rater agreement on nominal labels: Cohen's kappa for two raters, Krippendorff's alpha for many. */
public final class Agreement {

    private Agreement() {
    }

    /**
     * Cohen's kappa over items both raters labelled: (p_o − p_e) / (1 − p_e). Empty when it is undefined
     * (no shared items, or both raters used one and the same label throughout).
     */
    public static <L> java.util.OptionalDouble cohensKappa(List<L> first, List<L> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException("kappa needs paired labels: " + first.size() + " vs " + second.size());
        }
        int n = first.size();
        if (n == 0) {
            return java.util.OptionalDouble.empty();
        }
        Map<L, Integer> firstCounts = new HashMap<>();
        Map<L, Integer> secondCounts = new HashMap<>();
        int agreed = 0;
        for (int i = 0; i < n; i++) {
            firstCounts.merge(first.get(i), 1, Integer::sum);
            secondCounts.merge(second.get(i), 1, Integer::sum);
            if (first.get(i).equals(second.get(i))) {
                agreed++;
            }
        }
        double observed = (double) agreed / n;
        double expected = 0;
        for (Map.Entry<L, Integer> e : firstCounts.entrySet()) {
            expected += (double) e.getValue() / n * secondCounts.getOrDefault(e.getKey(), 0) / n;
        }
        if (expected >= 1.0) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of((observed - expected) / (1 - expected));
    }

    /**
     * Krippendorff's alpha for nominal data: 1 − D_o / D_e from the coincidence matrix. Each unit is the
     * list of labels it received (any number of raters, missing ones simply absent); units with fewer
     * than two labels carry no information about agreement and are ignored.
     */
    public static <L> java.util.OptionalDouble krippendorffAlpha(List<List<L>> units) {
        Map<L, Map<L, Double>> coincidences = new HashMap<>();
        Set<L> labels = new HashSet<>();
        for (List<L> unit : units) {
            int m = unit.size();
            if (m < 2) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (i != j) {
                        coincidences.computeIfAbsent(unit.get(i), k -> new HashMap<>())
                                .merge(unit.get(j), 1.0 / (m - 1), Double::sum);
                    }
                }
                labels.add(unit.get(i));
            }
        }
        Map<L, Double> marginals = new HashMap<>();
        double total = 0;
        for (L c : labels) {
            double sum = coincidences.getOrDefault(c, Map.of()).values().stream().mapToDouble(Double::doubleValue).sum();
            marginals.put(c, sum);
            total += sum;
        }
        if (total <= 1) {
            return java.util.OptionalDouble.empty();
        }
        double observedDisagreement = 0;
        double expectedDisagreement = 0;
        for (L c : labels) {
            for (L k : labels) {
                if (!c.equals(k)) {
                    observedDisagreement += coincidences.getOrDefault(c, Map.of()).getOrDefault(k, 0.0);
                    expectedDisagreement += marginals.get(c) * marginals.get(k);
                }
            }
        }
        expectedDisagreement /= (total - 1);
        if (expectedDisagreement == 0) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(1 - observedDisagreement / expectedDisagreement);
    }
}
