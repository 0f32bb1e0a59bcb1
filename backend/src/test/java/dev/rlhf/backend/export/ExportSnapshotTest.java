package dev.rlhf.backend.export;

import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.task.JsonColumns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export's counts and lines come from one snapshot: a judgment committed while an export streams is in neither.
 * Over HTTP the moment of that commit cannot be placed deterministically, so the snapshot is driven directly here.
 */
@QuarkusTest
class ExportSnapshotTest {

    @Inject
    DataSource database;

    @Inject
    JudgmentRecords records;

    @Inject
    JsonColumns columns;

    @Test
    void aJudgmentCommittedWhileAnExportStreamsIsNeitherCountedNorExported() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 3, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        List<String> before = List.of(judge(rater, campaign), judge(rater, campaign));

        List<String> exported = new ArrayList<>();
        ExportSnapshot.TrlCounts counts;
        String late;
        try (ExportSnapshot snapshot = ExportSnapshot.open(database, records, columns, UUID.fromString(campaign))) {
            counts = snapshot.trlCounts();
            late = judge(rater, campaign);
            snapshot.forEachRecord(record -> exported.add(record.judgmentId().toString()));
        }

        assertThat(exported).containsExactlyInAnyOrderElementsOf(before).doesNotContain(late);
        assertThat(counts.pairwisePreferences()).isEqualTo(2);
        ExtractableResponse<Response> next = as(researcher).get("/api/campaigns/" + campaign + "/export?format=trl")
                .then().statusCode(200).extract();
        assertThat(next.header("X-Pairwise-Preferences")).isEqualTo("3");
        assertThat(next.asString().lines()).hasSize(3);
    }

    /** A HEAD request gets the headers but never writes a body: its snapshot must end all the same. */
    @Test
    void aHeadRequestGetsTheCountsAndEndsItsSnapshot() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        judge(Api.user("rater", "rater"), campaign);
        for (int i = 0; i < 3; i++) {
            as(researcher).head("/api/campaigns/" + campaign + "/export?format=trl").then().statusCode(200)
                    .header("X-Pairwise-Preferences", "1");
        }
        long open = openExportTransactions();
        for (int i = 0; i < 50 && open > 0; i++) {
            Thread.sleep(100);
            open = openExportTransactions();
        }
        assertThat(open).as("export transactions left open").isZero();
    }

    @Test
    void anUnknownCampaignIsNotFoundAndAnUnknownFormatRefused() {
        String researcher = Api.user("researcher", "researcher");
        as(researcher).get("/api/campaigns/" + UUID.randomUUID() + "/export?format=full").then().statusCode(404)
                .contentType("application/problem+json");
        as(researcher).get("/api/campaigns/" + UUID.randomUUID() + "/export?format=csv").then().statusCode(422)
                .contentType("application/problem+json");
    }

    private long openExportTransactions() throws SQLException {
        try (Connection connection = database.getConnection(); ResultSet rs = connection.createStatement().executeQuery("""
                SELECT count(*) FROM pg_stat_activity
                WHERE state = 'idle in transaction' AND query LIKE '%FILTER (WHERE j.outcome%'""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Leases the rater's next task and prefers A; answers the judgment id. */
    private static String judge(String rater, String campaign) {
        return as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A"))
                .post("/api/rater/assignments/" + Api.lease(rater, campaign) + "/judgment").then().statusCode(200)
                .extract().path("judgmentId");
    }
}
