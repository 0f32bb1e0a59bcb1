package dev.rlhf.backend.judgment;

import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.support.QueryPlans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/** The submit's read looks a task's completions up by primary key (see {@code LeasePlanTest} for why it is tested). */
@QuarkusTest
class SubmitReadPlanTest {

    @Inject
    DataSource database;

    @Test
    void theSubmitsReadLooksCompletionsUpByPrimaryKeyInsteadOfScanningTheTable() throws Exception {
        QueryPlans.RatedCampaign rated = QueryPlans.campaignWithAnalysedCompletions(database, 400);
        String assignment = as(rated.rater()).post("/api/rater/campaigns/" + rated.campaign() + "/next")
                .then().statusCode(200).extract().path("assignmentId");

        List<String> scans = QueryPlans.scansOf(database, "completion", JudgmentStatements.READ,
                "a-key", UUID.fromString(assignment), UUID.fromString(Api.userId(rated.rater())));

        assertThat(scans).isNotEmpty().allSatisfy(scan -> assertThat(scan).isIn("Index Scan", "Index Only Scan"));
    }
}
