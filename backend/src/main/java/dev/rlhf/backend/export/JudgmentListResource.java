package dev.rlhf.backend.export;

import dev.rlhf.backend.Pages;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.judgment.Judgment;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import java.util.List;
import java.util.UUID;

/** Judgments of a campaign for review, newest first; {@code flagged=true} lists those raters flagged. */
@Path("/api/campaigns/{id}/judgments")
@RolesAllowed(Role.RESEARCHER_NAME)
public class JudgmentListResource {

    private final JudgmentRecords records;
    private final EntityManager em;

    JudgmentListResource(JudgmentRecords records, EntityManager em) {
        this.records = records;
        this.em = em;
    }

    @GET
    @Transactional
    public List<dev.rlhf.events.judgment.Judgment> list(@PathParam("id") UUID id,
                                     @QueryParam("flagged") @DefaultValue("false") boolean flagged,
                                     @QueryParam("page") @DefaultValue("0") @Min(0) @Max(Pages.MAX_PAGE) int page,
                                     @QueryParam("size") @DefaultValue("50") @Min(1) @Max(Pages.MAX_SIZE) int size) {
        Campaign campaign = Campaigns.find(id);
        String filter = flagged ? " AND jsonb_array_length(flags) > 0" : "";
        List<Judgment> judgments = em.createNativeQuery("SELECT * FROM judgment WHERE campaign_id = :c" + filter
                        + " ORDER BY submitted_at DESC, id DESC", Judgment.class)
                .setParameter("c", id).setFirstResult(page * size).setMaxResults(size).getResultList();
        return records.records(campaign, judgments);
    }
}
