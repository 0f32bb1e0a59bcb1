package dev.rlhf.backend.rewardmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.backend.account.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The reward-model worker's versions and dataset, for the research console: this service checks the
 * researcher's session and forwards to the worker with its own token, so browsers never hold the
 * worker's credentials and the console needs no second login.
 */
@Path("/api/reward-models")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class RewardModelResource {

    private final RewardModelWorkerClient worker;

    RewardModelResource(RewardModelWorkerClient worker) {
        this.worker = worker;
    }

    /** The version table: version, time, base model, warm start, judgments seen and used, metrics. */
    @GET
    @Path("/versions")
    public JsonNode versions() {
        return worker.get("/api/versions").body();
    }

    /** One version's metadata.json (lineage, metrics, validation history). */
    @GET
    @Path("/versions/{version}")
    public JsonNode version(@PathParam("version") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
            message = "must be a version name (letters, digits, . _ -)") String version) {
        return worker.get("/api/versions/" + version).body();
    }

    /** Whether a training run is going, the next version, the last failure. */
    @GET
    @Path("/training")
    public JsonNode training() {
        return worker.get("/api/versions/training").body();
    }

    /** Train the next version now (202), or 409 while a run is going. */
    @POST
    @Path("/versions")
    public Response trainNow() {
        RewardModelWorkerClient.Reply reply = worker.post("/api/versions");
        return Response.status(reply.status()).entity(reply.body()).build();
    }

    /** Counts of the worker's preference dataset: judgments per verdict, pairs, consumer positions. */
    @GET
    @Path("/dataset")
    public JsonNode dataset() {
        return worker.get("/api/dataset").body();
    }
}
