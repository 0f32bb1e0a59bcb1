package dev.rlhf.backend.judgment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.UUID;

/** A rater's view of the active campaigns: what they judged and what is left for them. */
@ApplicationScoped
public class RaterProgress {

    private final EntityManager em;

    RaterProgress(EntityManager em) {
        this.em = em;
    }

    public List<RaterResource.RaterCampaign> activeCampaigns(UUID raterId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT c.id, c.name, c.status, c.guideline_version,
                          (SELECT count(*) FROM judgment j WHERE j.campaign_id = c.id AND j.rater_id = :rater),
                          (SELECT count(*) FROM comparison_task t
                            WHERE t.campaign_id = c.id
                              AND (t.gold OR t.load < c.overlap)
                              AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.rater_id = :rater
                                              AND a.state IN ('LEASED', 'SUBMITTED', 'SKIPPED')))
                        FROM campaign c WHERE c.status = 'ACTIVE' ORDER BY c.created_at, c.id""")
                .setParameter("rater", raterId)
                .getResultList();
        return rows.stream().map(r -> new RaterResource.RaterCampaign((UUID) r[0], (String) r[1],
                dev.rlhf.backend.campaign.CampaignStatus.valueOf((String) r[2]), ((Number) r[3]).intValue(),
                ((Number) r[4]).longValue(), ((Number) r[5]).longValue())).toList();
    }
}
