package dev.rlhf.backend.stats;

import dev.rlhf.backend.account.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.util.UUID;

@Path("/api/campaigns/{id}/stats")
@RolesAllowed(Role.RESEARCHER_NAME)
public class StatsResource {

    private final CampaignStatistics statistics;

    StatsResource(CampaignStatistics statistics) {
        this.statistics = statistics;
    }

    @GET
    public CampaignStats stats(@PathParam("id") UUID id) {
        return statistics.compute(id);
    }
}
