package dev.rlhf.rewardmodel.registry;

import dev.rlhf.rewardmodel.training.RewardModelVersions;
import dev.rlhf.rewardmodel.web.ApiTokenAuthentication;
import dev.rlhf.rewardmodel.web.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The reward model's versions: the table with metrics, one version's full metadata, and "train one now". */
@Path("/api/versions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiTokenAuthentication.ROLE)
@Blocking
public class VersionResource {

    private final RewardModelVersions versions;

    VersionResource(RewardModelVersions versions) {
        this.versions = versions;
    }

    /** Every version, oldest first, with its metrics. */
    @GET
    public List<VersionSummary> list() {
        return versions.registry().versions().stream().map(VersionSummary::of).toList();
    }

    /** A version's metadata.json: lineage (every judgment id), hyperparameters, metrics, training history. */
    @GET
    @Path("/{version}")
    public VersionMetadata get(@PathParam("version") int version) {
        return versions.registry().version(version)
                .orElseThrow(() -> ProblemException.notFound("reward model version " + version + " does not exist"));
    }

    /**
     * Starts a run that trains, writes and announces the next version; answers 202 at once (the version
     * appears in the list when published; a failure shows at {@code GET /api/versions/training}).
     */
    @POST
    public Response train() {
        if (!versions.startTraining()) {
            throw ProblemException.conflict("a training run is in progress; try again when it ends");
        }
        return Response.accepted(new TrainingStatus(true, versions.registry().nextVersion(), null)).build();
    }

    /** Whether a run is going, which version it would make, and why the last run failed if it did. */
    @GET
    @Path("/training")
    public TrainingStatus training() {
        return new TrainingStatus(versions.isTraining(), versions.registry().nextVersion(),
                versions.lastFailure().orElse(null));
    }

    public record TrainingStatus(boolean running, int nextVersion, String lastFailure) {
    }
}
