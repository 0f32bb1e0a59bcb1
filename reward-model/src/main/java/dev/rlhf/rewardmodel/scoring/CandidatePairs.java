package dev.rlhf.rewardmodel.scoring;

import dev.rlhf.events.judgment.Message;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/** Pairs a campaign could show raters next; the answer says how sure the model is about each. */
public record CandidatePairs(Integer version, @NotEmpty @Size(max = 10_000) List<@Valid @NotNull Pair> pairs) {

    /** @param pairId the caller's name for the pair (a task id), echoed back */
    public record Pair(String pairId, @NotEmpty List<@NotNull Message> prompt, @Valid @NotNull Side a,
                       @Valid @NotNull Side b) {
    }

    public record Side(UUID completionId, @NotNull String text) {
    }
}
