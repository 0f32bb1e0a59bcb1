package dev.rlhf.backend.campaign;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * What a campaign asks raters for beyond the choice itself.
 *
 * @param criteria         per-criterion scores (1..7) to ask, e.g. helpfulness, harmlessness, honesty
 * @param askStrength      ask how much better (1 slightly, 2 clearly, 3 much better) for A/B choices
 * @param askRationale     show a rationale field
 * @param requireRationale the rationale must be filled in (only when asked for)
 * @param askCorrection    offer "write a better answer"
 */
@SatisfiableForm
public record JudgmentForm(
        @NotNull @Size(max = 10) List<@NotNull @Pattern(regexp = "[a-z][a-z0-9_-]{0,39}",
                message = "criterion names are lower-case words of at most 40 characters") String> criteria,
        boolean askStrength,
        boolean askRationale,
        boolean requireRationale,
        boolean askCorrection) {

    public static JudgmentForm choiceOnly() {
        return new JudgmentForm(List.of(), false, false, false, false);
    }
}
