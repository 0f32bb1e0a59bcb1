package dev.rlhf.backend.campaign;

/** Raters are served tasks only from ACTIVE campaigns. */
public enum CampaignStatus {
    DRAFT, ACTIVE, PAUSED, CLOSED
}
