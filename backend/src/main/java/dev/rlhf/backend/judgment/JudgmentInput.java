package dev.rlhf.backend.judgment;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;
import java.util.Set;

/**
 * A rater's judgment in display terms (labels A, B, C... as shown). Checked against the task and the
 * campaign's form by {@link JudgmentRules}, then stored in canonical order.
 */
public record JudgmentInput(
        @NotNull @Size(min = 8, max = 100) @Pattern(regexp = "[A-Za-z0-9._:-]+",
                message = "may contain letters, digits and . _ : - only") String idempotencyKey,
        Choice choice,
        @Min(1) @Max(3) Integer strength,
        @Size(max = 6) Map<String, @NotNull Integer> ranking,
        @Size(max = 10) Map<String, @NotNull Integer> criteria,
        @Size(max = 20_000) String rationale,
        @Size(max = 100_000) String correctedAnswer,
        @Size(max = 3) Set<@NotNull Flag> flags,
        @Min(0) @Max(86_400_000) Long timeOnTaskMs) {
}
