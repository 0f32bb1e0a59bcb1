package dev.rlhf.backend.judgment;

import dev.rlhf.backend.support.Api;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.JudgmentRecorded;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A judgment records the guideline version the rater was shown with the task, fixed when the lease was taken:
 * guidelines published while the task is on screen do not change it.
 */
@QuarkusTest
class GuidelineVersionAtLeaseTest {

    @Inject
    DataSource database;

    @Test
    void guidelinesPublishedDuringALeaseDoNotChangeTheVersionItsJudgmentRecords() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String early = Api.user("rater", "rater");
        String leasedUnderOne = as(early).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200)
                .body("guidelineVersion", equalTo(1)).extract().path("assignmentId");

        as(researcher).body(Map.of("markdown", "# v2\nBe strict.")).put("/api/campaigns/" + campaign + "/guidelines")
                .then().statusCode(200).body("version", equalTo(2));
        // A reload shows the same lease, with the version its judgment will record.
        as(early).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200)
                .body("assignmentId", equalTo(leasedUnderOne)).body("guidelineVersion", equalTo(1));
        String first = submit(early, leasedUnderOne);
        String late = Api.user("rater", "rater");
        String leasedUnderTwo = as(late).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200)
                .body("guidelineVersion", equalTo(2)).extract().path("assignmentId");
        String second = submit(late, leasedUnderTwo);

        assertThat(exportedVersions(researcher, campaign)).isEqualTo(Map.of(first, 1, second, 2));
        assertThat(streamedVersion(first)).isEqualTo(1);
        assertThat(streamedVersion(second)).isEqualTo(2);
    }

    @Test
    void aLeaseTakenBeforeVersionsWereKeptOnAssignmentsRecordsTheCampaignsVersion() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        as(researcher).body(Map.of("markdown", "# v2")).put("/api/campaigns/" + campaign + "/guidelines")
                .then().statusCode(200);
        as(researcher).body(Map.of("markdown", "# v3")).put("/api/campaigns/" + campaign + "/guidelines")
                .then().statusCode(200);
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        try (Connection connection = database.getConnection();
             PreparedStatement forget = connection.prepareStatement(
                     "UPDATE assignment SET guideline_version = NULL WHERE id = ?")) {
            forget.setObject(1, UUID.fromString(assignment));
            assertThat(forget.executeUpdate()).isEqualTo(1);
        }
        String judgment = submit(rater, assignment);

        assertThat(exportedVersions(researcher, campaign)).isEqualTo(Map.of(judgment, 3));
    }

    private static String submit(String rater, String assignment) {
        return as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200)
                .extract().path("judgmentId");
    }

    /** Judgment id to guideline version, as the full export records them. */
    private static Map<String, Integer> exportedVersions(String researcher, String campaign) {
        Map<String, Integer> versions = new java.util.HashMap<>();
        as(researcher).get("/api/campaigns/" + campaign + "/export?format=full").then().statusCode(200).extract()
                .asString().lines().map(JsonPath::from)
                .forEach(record -> versions.put(record.getString("judgmentId"), record.getInt("guidelineVersion")));
        return versions;
    }

    /** The guideline version in the judgment's {@code rlhf.judgments} event, as its outbox row holds it. */
    private int streamedVersion(String judgmentId) throws SQLException {
        List<JudgmentRecorded> events = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT o.payload FROM outbox o JOIN judgment j ON o.event_key = j.task_id::text WHERE j.id = ?""")) {
            select.setObject(1, UUID.fromString(judgmentId));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(new EventCodec().decode(rs.getBytes(1), JudgmentRecorded.class));
                }
            }
        }
        return events.stream().filter(e -> e.payload().judgmentId().toString().equals(judgmentId))
                .map(e -> e.payload().guidelineVersion()).findFirst().orElseThrow();
    }
}
