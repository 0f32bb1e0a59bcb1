package dev.rlhf.backend.campaign;

import java.time.Instant;
import java.util.UUID;

/** A campaign as the research console shows it. */
public record CampaignView(UUID id, String name, String description, CampaignStatus status, int overlap,
                           double goldRatio, int leaseMinutes, boolean preferUncertain, JudgmentForm form,
                           int guidelineVersion, Instant createdAt, long tasks, long judgments) {

    public static CampaignView of(Campaign c, long tasks, long judgments) {
        return new CampaignView(c.id, c.name, c.description, c.status, c.overlap, c.goldRatio, c.leaseMinutes,
                c.preferUncertain, c.form, c.guidelineVersion, c.createdAt, tasks, judgments);
    }
}
