package dev.rlhf.rewardmodel.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarginsTest {

    @Test
    void mapsEachStrengthAndNoStrengthToItsMargin() {
        Margins m = Margins.parse("none=0.1, 1=0, 2=0.5, 3=1.5");
        assertThat(m.margin(null)).isEqualTo(0.1);
        assertThat(m.margin(2)).isEqualTo(0.5);
        assertThat(m.margin(3)).isEqualTo(1.5);
    }

    @Test
    void namesWhatIsWrongWithASetting() {
        assertThatThrownBy(() -> Margins.parse("1=0,2=0.5,3=1")).hasMessageContaining("no margin for strength none");
        assertThatThrownBy(() -> Margins.parse("none=0,1=0,2=x,3=1")).hasMessageContaining("'x' (strength 2) is not a number");
        assertThatThrownBy(() -> Margins.parse("none=0,4=1")).hasMessageContaining("'4=1'");
    }
}
