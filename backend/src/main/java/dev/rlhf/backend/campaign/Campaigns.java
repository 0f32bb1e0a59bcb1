package dev.rlhf.backend.campaign;

import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.task.ComparisonTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Campaign lifecycle: creation, edits, status changes and guideline versions. */
@ApplicationScoped
public class Campaigns {

    static final int DEFAULT_LEASE_MINUTES = 10;

    private final EntityManager em;

    Campaigns(EntityManager em) {
        this.em = em;
    }

    public static Campaign find(UUID id) {
        Campaign campaign = Campaign.findById(id);
        if (campaign == null) {
            throw ProblemException.notFound("campaign", id);
        }
        return campaign;
    }

    @Transactional
    public Campaign create(CampaignInput input, UUID author) {
        Campaign campaign = new Campaign();
        campaign.id = UUID.randomUUID();
        campaign.status = CampaignStatus.DRAFT;
        campaign.createdBy = author;
        campaign.createdAt = Instant.now();
        apply(campaign, input);
        campaign.guidelineVersion = 0;
        campaign.persist();
        addGuidelines(campaign, input.guidelines() == null ? "" : input.guidelines(), author);
        return campaign;
    }

    @Transactional
    public Campaign update(UUID id, CampaignInput input, UUID author) {
        Campaign campaign = find(id);
        apply(campaign, input);
        String current = Guideline.find(id, campaign.guidelineVersion).map(g -> g.markdown).orElse("");
        if (input.guidelines() != null && !input.guidelines().equals(current)) {
            addGuidelines(campaign, input.guidelines(), author);
        }
        return campaign;
    }

    private static void apply(Campaign campaign, CampaignInput input) {
        campaign.name = input.name().strip();
        campaign.description = input.description();
        campaign.overlap = input.overlap();
        campaign.goldRatio = input.goldRatio();
        campaign.leaseMinutes = input.leaseMinutes() == null ? DEFAULT_LEASE_MINUTES : input.leaseMinutes();
        campaign.form = input.form();
        boolean preferUncertain = Boolean.TRUE.equals(input.preferUncertain());
        if (campaign.preferUncertain && !preferUncertain) {
            // The queue orders by certainty first: without the option, no stale certainty may reorder it.
            ComparisonTask.update("modelCertainty = null, certaintyVersion = null where campaignId = ?1", campaign.id);
        }
        campaign.preferUncertain = preferUncertain;
    }

    @Transactional
    public Campaign changeStatus(UUID id, CampaignStatus status) {
        Campaign campaign = find(id);
        if (campaign.status == CampaignStatus.CLOSED && status != CampaignStatus.CLOSED) {
            throw ProblemException.conflict("campaign " + id + " is closed and cannot be reopened");
        }
        campaign.status = status;
        return campaign;
    }

    /**
     * Deletes a campaign that has no judgments, with all that belongs only to it: the schema cascades to its
     * guidelines, prompts and their completions, tasks and their assignments. Judgments are never destroyed, so a
     * campaign that has any is a conflict: close it instead.
     */
    @Transactional
    public void delete(UUID id) {
        // FOR UPDATE, stronger than Hibernate's pessimistic lock (FOR NO KEY UPDATE): it also keeps out new prompts and
        // tasks, whose foreign key locks the campaign row.
        if (em.createNativeQuery("SELECT id FROM campaign WHERE id = :c FOR UPDATE").setParameter("c", id)
                .getResultList().isEmpty()) {
            throw ProblemException.notFound("campaign", id);
        }
        // A submit stores its judgment under its task's row lock: with every task locked, a judgment that is not
        // counted below can no longer be stored (and would otherwise be cascaded away with its task).
        em.createNativeQuery("SELECT count(*) FROM (SELECT 1 FROM comparison_task WHERE campaign_id = :c FOR UPDATE) t")
                .setParameter("c", id).getSingleResult();
        long judgments = ((Number) em.createNativeQuery("SELECT count(*) FROM judgment WHERE campaign_id = :c")
                .setParameter("c", id).getSingleResult()).longValue();
        if (judgments > 0) {
            throw ProblemException.conflict("campaign " + id + " has " + judgments
                    + " judgments, which are never deleted: close it instead");
        }
        em.createNativeQuery("DELETE FROM campaign WHERE id = :c").setParameter("c", id).executeUpdate();
    }

    @Transactional
    public Guideline publishGuidelines(UUID id, String markdown, UUID author) {
        return addGuidelines(find(id), markdown, author);
    }

    private static Guideline addGuidelines(Campaign campaign, String markdown, UUID author) {
        Guideline guideline = new Guideline();
        guideline.campaignId = campaign.id;
        guideline.version = campaign.guidelineVersion + 1;
        guideline.markdown = markdown;
        guideline.createdBy = author;
        guideline.createdAt = Instant.now();
        guideline.persist();
        campaign.guidelineVersion = guideline.version;
        return guideline;
    }

    public static Guideline currentGuidelines(Campaign campaign) {
        return Guideline.find(campaign.id, campaign.guidelineVersion)
                .orElseThrow(() -> new IllegalStateException("campaign " + campaign.id + " lacks its guidelines"));
    }

    public static List<Guideline> guidelineHistory(UUID id) {
        find(id);
        return Guideline.history(id);
    }
}
