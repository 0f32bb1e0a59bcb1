package dev.rlhf.backend.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What a researcher sends to create or edit a campaign.
 *
 * @param preferUncertain active learning: serve first the pairs the reward model is least sure about
 *                        (absent: off)
 */
public record CampaignInput(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 5000) String description,
        @NotNull @Min(1) @Max(50) Integer overlap,
        @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double goldRatio,
        @Min(1) @Max(240) Integer leaseMinutes,
        @NotNull @Valid JudgmentForm form,
        @Size(max = 200_000) String guidelines,
        Boolean preferUncertain) {
}
