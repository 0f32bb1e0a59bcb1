package dev.rlhf.backend.queue;

import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.support.QueryPlans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease reads a task's completions by primary key. As a join on {@code jsonb_array_elements_text}, PostgreSQL
 * guessed 100 ids per task and scanned the whole completion table on every lease of a campaign with fewer than
 * ~20,000 completions (bench/README.md, stream): a cost no functional test sees.
 */
@QuarkusTest
class LeasePlanTest {

    @Inject
    DataSource database;

    @Test
    void theLeaseLooksCompletionsUpByPrimaryKeyInsteadOfScanningTheTable() throws Exception {
        QueryPlans.RatedCampaign rated = QueryPlans.campaignWithAnalysedCompletions(database, 400);

        List<String> scans = QueryPlans.scansOf(database, "completion", LeaseStatement.lease(" SKIP LOCKED"),
                UUID.fromString(Api.userId(rated.rater())), UUID.fromString(rated.campaign()), false, 0.5,
                new Integer[]{1, 0, 2, 3, 4, 5}, UUID.randomUUID());

        assertThat(scans).isNotEmpty().allSatisfy(scan -> assertThat(scan).isIn("Index Scan", "Index Only Scan"));
    }
}
