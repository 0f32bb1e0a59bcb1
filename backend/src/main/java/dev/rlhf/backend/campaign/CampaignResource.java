package dev.rlhf.backend.campaign;

import dev.rlhf.backend.account.CurrentAccount;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.judgment.Judgment;
import dev.rlhf.backend.task.ComparisonTask;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.UUID;

/** Campaigns for researchers: create, edit, change status, publish guideline versions, delete. */
@Path("/api/campaigns")
@RolesAllowed(Role.RESEARCHER_NAME)
public class CampaignResource {

    public record StatusChange(@NotNull CampaignStatus status) {
    }

    public record GuidelinesInput(@NotNull @Size(max = 200_000) String markdown) {
    }

    private final Campaigns campaigns;
    private final CurrentAccount current;

    CampaignResource(Campaigns campaigns, CurrentAccount current) {
        this.campaigns = campaigns;
        this.current = current;
    }

    @GET
    public List<CampaignView> list() {
        return Campaign.<Campaign>listAll(Sort.by("createdAt").and("id")).stream().map(CampaignResource::view).toList();
    }

    @POST
    public Response create(@Valid @NotNull CampaignInput input) {
        Campaign campaign = campaigns.create(input, current.id());
        return Response.status(201).entity(view(campaign)).build();
    }

    @GET
    @Path("/{id}")
    public CampaignView get(@PathParam("id") UUID id) {
        return view(Campaigns.find(id));
    }

    @PUT
    @Path("/{id}")
    public CampaignView update(@PathParam("id") UUID id, @Valid @NotNull CampaignInput input) {
        return view(campaigns.update(id, input, current.id()));
    }

    /** 204; 409 when the campaign has judgments (they are never deleted: close it instead). */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") UUID id) {
        campaigns.delete(id);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/status")
    public CampaignView changeStatus(@PathParam("id") UUID id, @Valid @NotNull StatusChange change) {
        return view(campaigns.changeStatus(id, change.status()));
    }

    @GET
    @Path("/{id}/guidelines")
    public List<GuidelineView> guidelines(@PathParam("id") UUID id) {
        return Campaigns.guidelineHistory(id).stream().map(GuidelineView::of).toList();
    }

    @PUT
    @Path("/{id}/guidelines")
    public GuidelineView publishGuidelines(@PathParam("id") UUID id, @Valid @NotNull GuidelinesInput input) {
        return GuidelineView.of(campaigns.publishGuidelines(id, input.markdown(), current.id()));
    }

    private static CampaignView view(Campaign c) {
        return CampaignView.of(c, ComparisonTask.count("campaignId", c.id), Judgment.count("campaignId", c.id));
    }
}
