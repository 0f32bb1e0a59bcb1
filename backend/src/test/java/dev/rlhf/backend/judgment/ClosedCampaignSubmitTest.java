package dev.rlhf.backend.judgment;

import dev.rlhf.backend.outbox.Outbox;
import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A closed campaign takes no more judgments; a paused one still takes the judgment of a lease taken while it was
 * active, so the rater's work is not thrown away.
 */
@QuarkusTest
class ClosedCampaignSubmitTest {

    @Inject
    DataSource database;

    @Test
    void aSubmitToAClosedCampaignIsAConflictAndStoresNothing() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        changeStatus(researcher, campaign, "CLOSED");

        as(rater).body(judgment("closed-" + UUID.randomUUID()))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("closed"));

        as(researcher).get("/api/campaigns/" + campaign).then().body("judgments", equalTo(0));
    }

    @Test
    void aPausedCampaignStillTakesTheJudgmentOfALeaseTakenWhileActive() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        changeStatus(researcher, campaign, "PAUSED");

        as(rater).body(judgment("paused-" + UUID.randomUUID()))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200)
                .body("replayed", equalTo(false));

        as(researcher).get("/api/campaigns/" + campaign).then().body("judgments", equalTo(1));
    }

    @Test
    void aRetryOfAJudgmentStoredBeforeTheCloseIsStillAnsweredWithItsReceipt() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        Map<String, Object> body = judgment("retry-" + UUID.randomUUID());
        String stored = as(rater).body(body).post("/api/rater/assignments/" + assignment + "/judgment").then()
                .statusCode(200).extract().path("judgmentId");
        changeStatus(researcher, campaign, "CLOSED");

        as(rater).body(body).post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200)
                .body("replayed", equalTo(true)).body("judgmentId", equalTo(stored));
    }

    /** A close that commits between a submit's read and its write: the write's own gate refuses the judgment. */
    @Test
    void theWriteStoresNothingWhenTheCampaignWasClosedAfterTheRead() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        UUID raterId = UUID.fromString(Api.userId(rater));
        UUID assignment = UUID.fromString(Api.lease(rater, campaign));
        String key = "gate-" + UUID.randomUUID();
        try (Connection connection = database.getConnection()) {
            JudgmentStatements.Loaded read = JudgmentStatements.read(connection, raterId, assignment, key).orElseThrow();
            assertThat(read.campaignStatus()).isEqualTo("ACTIVE");
            changeStatus(researcher, campaign, "CLOSED");

            JudgmentStatements.Written written = JudgmentStatements.write(connection, new JudgmentStatements.Row(
                    UUID.randomUUID(), assignment, read.state(), read.taskId(), true, read.campaignId(), raterId,
                    read.guidelineVersion(), read.gold(), "A", null, null, "{}", null, null, "[]", null, key,
                    Instant.now().truncatedTo(ChronoUnit.MICROS)),
                    new Outbox.Encoded(UUID.randomUUID(), "rlhf.judgments", read.taskId().toString(), new byte[]{'{', '}'}));

            assertThat(written).isEqualTo(new JudgmentStatements.Written(true, true, false));
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT (SELECT count(*) FROM judgment WHERE assignment_id = ?), "
                            + "(SELECT state FROM assignment WHERE id = ?)")) {
                count.setObject(1, assignment);
                count.setObject(2, assignment);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                    assertThat(rs.getString(2)).isEqualTo("LEASED");
                }
            }
        }
    }

    private static Map<String, Object> judgment(String key) {
        return Map.of("idempotencyKey", key, "choice", "A");
    }

    private static void changeStatus(String researcher, String campaign, String status) {
        as(researcher).body(Map.of("status", status)).put("/api/campaigns/" + campaign + "/status")
                .then().statusCode(200).body("status", equalTo(status));
    }
}
