package dev.rlhf.backend.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AgreementTest {

    @Test
    void cohensKappaMatchesTheTextbookExample() {
        // 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        add(first, second, "yes", "yes", 20);
        add(first, second, "yes", "no", 5);
        add(first, second, "no", "yes", 10);
        add(first, second, "no", "no", 15);
        assertThat(Agreement.cohensKappa(first, second).getAsDouble()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void cohensKappaWeighsChanceByEachRatersOwnLabelRates() {
        // Wikipedia, "Cohen's kappa", the two examples of equal agreement (p_o = 0.6) with unequal label rates:
        // kappa 0.1304 and 0.2593. The raters' label rates differ, so chance agreement is not 0.5: a formula that
        // used the first rater's rates for both would give 0.1667 for each.
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        add(first, second, "yes", "yes", 45);
        add(first, second, "yes", "no", 15);
        add(first, second, "no", "yes", 25);
        add(first, second, "no", "no", 15);
        assertThat(Agreement.cohensKappa(first, second).getAsDouble()).isCloseTo(0.06 / 0.46, within(1e-12))
                .isCloseTo(0.1304, within(5e-5));

        first.clear();
        second.clear();
        add(first, second, "yes", "yes", 25);
        add(first, second, "yes", "no", 35);
        add(first, second, "no", "yes", 5);
        add(first, second, "no", "no", 35);
        assertThat(Agreement.cohensKappa(first, second).getAsDouble()).isCloseTo(0.14 / 0.54, within(1e-12))
                .isCloseTo(0.2593, within(5e-5));
    }

    @Test
    void cohensKappaIsUndefinedWhenBothRatersUseOneLabel() {
        assertThat(Agreement.cohensKappa(List.of("A", "A"), List.of("A", "A"))).isEmpty();
        assertThat(Agreement.cohensKappa(List.of(), List.of())).isEmpty();
        assertThat(Agreement.cohensKappa(List.of("A", "B"), List.of("B", "A")).getAsDouble()).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void krippendorffsAlphaMatchesHisPublishedNominalExample() {
        // Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
        // missing values allowed; nominal alpha = 0.743.
        Integer[][] observers = {
                {1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null},
                {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3},
                {null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null},
                {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null}};
        List<List<Integer>> units = new ArrayList<>();
        for (int unit = 0; unit < 12; unit++) {
            List<Integer> labels = new ArrayList<>();
            for (Integer[] observer : observers) {
                if (observer[unit] != null) {
                    labels.add(observer[unit]);
                }
            }
            units.add(labels);
        }
        assertThat(Agreement.krippendorffAlpha(units).getAsDouble()).isCloseTo(0.743, within(0.0005));
    }

    @Test
    void krippendorffsAlphaIsOneForPerfectAgreementAndIgnoresSingleLabelUnits() {
        List<List<String>> units = Arrays.asList(List.of("A", "A"), List.of("B", "B", "B"), List.of("A"));
        assertThat(Agreement.krippendorffAlpha(units).getAsDouble()).isEqualTo(1.0);
    }

    private static void add(List<String> first, List<String> second, String a, String b, int times) {
        for (int i = 0; i < times; i++) {
            first.add(a);
            second.add(b);
        }
    }
}
