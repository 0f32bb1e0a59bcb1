package dev.rlhf.backend.judgment;

import dev.rlhf.backend.account.CurrentAccount;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.campaign.CampaignStatus;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.campaign.GuidelineView;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.queue.RaterTask;
import dev.rlhf.backend.queue.TaskQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.UUID;

/** The rater's side: which campaigns are open, the next task, and submitting, skipping or releasing it. */
@Path("/api/rater")
@RolesAllowed(Role.RATER_NAME)
public class RaterResource {

    public record RaterCampaign(UUID id, String name, CampaignStatus status, int guidelineVersion,
                                long judgedByMe, long remainingForMe) {
    }

    public record SkipRequest(@NotNull @NotBlank @Size(max = 500) String reason) {
    }

    private final TaskQueue queue;
    private final JudgmentService judgments;
    private final RaterProgress progress;
    private final CurrentAccount current;

    RaterResource(TaskQueue queue, JudgmentService judgments, RaterProgress progress, CurrentAccount current) {
        this.queue = queue;
        this.judgments = judgments;
        this.progress = progress;
        this.current = current;
    }

    @GET
    @Path("/campaigns")
    public List<RaterCampaign> campaigns() {
        return progress.activeCampaigns(current.id());
    }

    @GET
    @Path("/campaigns/{id}/guidelines")
    public GuidelineView guidelines(@PathParam("id") UUID id) {
        Campaign campaign = Campaigns.find(id);
        if (campaign.status != CampaignStatus.ACTIVE && campaign.status != CampaignStatus.PAUSED) {
            throw ProblemException.notFound("campaign", id);
        }
        return GuidelineView.of(Campaigns.currentGuidelines(campaign));
    }

    @POST
    @Path("/campaigns/{id}/next")
    @APIResponse(responseCode = "200", description = "a leased task",
            content = @Content(schema = @Schema(implementation = RaterTask.class)))
    @APIResponse(responseCode = "204", description = "nothing is left for this rater")
    public Response next(@PathParam("id") UUID campaignId,
                         @QueryParam("prefetch") @DefaultValue("false") boolean prefetch) {
        return queue.next(current.id(), campaignId, prefetch)
                .map(task -> Response.ok(task).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("/assignments/{id}/judgment")
    public JudgmentReceipt submit(@PathParam("id") UUID assignmentId, @Valid @NotNull JudgmentInput input) {
        return judgments.submit(current.id(), assignmentId, input);
    }

    @POST
    @Path("/assignments/{id}/skip")
    public Response skip(@PathParam("id") UUID assignmentId, @Valid @NotNull SkipRequest request) {
        queue.skip(current.id(), assignmentId, request.reason().strip());
        return Response.noContent().build();
    }

    @POST
    @Path("/assignments/{id}/release")
    public Response release(@PathParam("id") UUID assignmentId) {
        queue.release(current.id(), assignmentId);
        return Response.noContent().build();
    }
}
