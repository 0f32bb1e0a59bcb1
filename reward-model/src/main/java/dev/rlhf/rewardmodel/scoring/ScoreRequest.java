package dev.rlhf.rewardmodel.scoring;

import dev.rlhf.events.judgment.Message;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/**
 * Completions to score with one version (the latest when {@code version} is absent). With
 * {@code publish}, every score is also announced on {@code rlhf.rewards} (each item then needs its
 * {@code completionId}, the key of the RewardScored event).
 */
public record ScoreRequest(Integer version, @NotEmpty @Size(max = 10_000) List<@Valid @NotNull Item> items,
                           boolean publish) {

    /** @param prompt the conversation the completion answers */
    public record Item(UUID completionId, @NotEmpty List<@NotNull Message> prompt, @NotNull String completion) {
    }
}
