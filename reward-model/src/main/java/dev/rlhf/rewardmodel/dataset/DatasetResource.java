package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.rewardmodel.web.ApiTokenAuthentication;
import dev.rlhf.rewardmodel.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The materialised preference dataset: what it holds, and a rebuild from offset zero. */
@Path("/api/dataset")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiTokenAuthentication.ROLE)
public class DatasetResource {

    private final DatasetQueries queries;
    private final JudgmentStream stream;

    DatasetResource(DatasetQueries queries, JudgmentStream stream) {
        this.queries = queries;
        this.stream = stream;
    }

    @GET
    public DatasetSummary summary() {
        return queries.summary();
    }

    /** Clears the dataset and re-reads rlhf.judgments from offset zero; answers before the replay is done. */
    @POST
    @Path("/rebuild")
    public Response rebuild() {
        if (!stream.isConfigured()) {
            throw ProblemException.unavailable("the judgment consumer is not running: set kafka.bootstrap.servers");
        }
        stream.rebuild();
        return Response.accepted().build();
    }
}
