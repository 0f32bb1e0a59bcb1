package dev.rlhf.backend.campaign;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A campaign without judgments can be deleted with all that is only its own; judgments are never destroyed. */
@QuarkusTest
class CampaignDeletionTest {

    /** Rows of each table that belong to a campaign, by the campaign's id. */
    private static final Map<String, String> ROWS = rowsOfACampaign();

    @Inject
    DataSource database;

    @Test
    void aCampaignWithoutJudgmentsGoesWithAllItsRowsAndNothingOfAnother() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String doomed = Api.activeCampaign(researcher, 2, 3, Api.choiceOnlyForm());
        as(researcher).body(Map.of("markdown", "# v2")).put("/api/campaigns/" + doomed + "/guidelines").then().statusCode(200);
        String kept = Api.activeCampaign(researcher, 2, 3, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        Api.lease(rater, doomed);
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A"))
                .post("/api/rater/assignments/" + Api.lease(rater, kept) + "/judgment").then().statusCode(200);
        Api.lease(rater, kept);
        Map<String, Long> doomedBefore = rows(doomed);
        Map<String, Long> keptBefore = rows(kept);
        assertThat(doomedBefore).containsEntry("guideline", 2L).containsEntry("prompt", 3L)
                .containsEntry("completion", 6L).containsEntry("comparison_task", 3L).containsEntry("assignment", 1L);

        as(researcher).delete("/api/campaigns/" + doomed).then().statusCode(204);

        assertThat(rows(doomed)).allSatisfy((table, count) -> assertThat(count).as(table).isZero());
        assertThat(rows(kept)).isEqualTo(keptBefore).containsEntry("judgment", 1L).containsEntry("assignment", 2L);
        as(researcher).get("/api/campaigns/" + doomed).then().statusCode(404);
        as(researcher).delete("/api/campaigns/" + doomed).then().statusCode(404).contentType("application/problem+json");
        as(rater).post("/api/rater/campaigns/" + doomed + "/next").then().statusCode(404);
    }

    @Test
    void aCampaignWithJudgmentsIsAConflictAndKeepsEverything() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "B"))
                .post("/api/rater/assignments/" + Api.lease(rater, campaign) + "/judgment").then().statusCode(200);
        as(researcher).body(Map.of("status", "CLOSED")).put("/api/campaigns/" + campaign + "/status").then().statusCode(200);
        Map<String, Long> before = rows(campaign);

        as(researcher).delete("/api/campaigns/" + campaign).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("close it instead"));

        assertThat(rows(campaign)).isEqualTo(before).containsEntry("judgment", 1L);
        as(researcher).get("/api/campaigns/" + campaign).then().statusCode(200).body("judgments", equalTo(1));
    }

    private Map<String, Long> rows(String campaign) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = database.getConnection()) {
            for (Map.Entry<String, String> table : ROWS.entrySet()) {
                try (PreparedStatement count = connection.prepareStatement(table.getValue())) {
                    count.setObject(1, UUID.fromString(campaign));
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        counts.put(table.getKey(), rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    private static Map<String, String> rowsOfACampaign() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("campaign", "SELECT count(*) FROM campaign WHERE id = ?");
        rows.put("guideline", "SELECT count(*) FROM guideline WHERE campaign_id = ?");
        rows.put("prompt", "SELECT count(*) FROM prompt WHERE campaign_id = ?");
        rows.put("completion", "SELECT count(*) FROM completion c JOIN prompt p ON p.id = c.prompt_id WHERE p.campaign_id = ?");
        rows.put("comparison_task", "SELECT count(*) FROM comparison_task WHERE campaign_id = ?");
        rows.put("assignment", "SELECT count(*) FROM assignment WHERE campaign_id = ?");
        rows.put("judgment", "SELECT count(*) FROM judgment WHERE campaign_id = ?");
        rows.put("outbox", "SELECT count(*) FROM outbox o JOIN judgment j ON o.event_key = j.task_id::text WHERE j.campaign_id = ?");
        return rows;
    }
}
