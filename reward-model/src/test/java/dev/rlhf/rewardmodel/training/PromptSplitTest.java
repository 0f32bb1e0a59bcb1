package dev.rlhf.rewardmodel.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptSplitTest {

    @Test
    void holdsOutAboutTheAskedShareAndAlwaysTheSamePrompts() {
        PromptSplit split = new PromptSplit("rlhf", 0.2);
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            String prompt = "prompt-" + i;
            boolean validation = split.isValidation(prompt);
            assertThat(new PromptSplit("rlhf", 0.2).isValidation(prompt)).isEqualTo(validation);
            if (validation) held++;
        }
        assertThat(held).isBetween(1850, 2150);
    }

    @Test
    void anotherSaltDrawsAnotherSplit() {
        PromptSplit a = new PromptSplit("a", 0.5), b = new PromptSplit("b", 0.5);
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            if (a.isValidation("p" + i) != b.isValidation("p" + i)) differ++;
        }
        assertThat(differ).isBetween(400, 600);
    }

    @Test
    void refusesAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new PromptSplit("s", 1.0)).hasMessageContaining("validation-fraction");
    }
}
