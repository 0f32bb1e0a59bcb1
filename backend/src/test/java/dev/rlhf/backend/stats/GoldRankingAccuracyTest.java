package dev.rlhf.backend.stats;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A rater's ranking is stored as dense ranks (1, 2, 2, 3). A gold ranking given with gaps (1, 3, 3, 4) or not starting
 * at 1 (2, 2, 3, 4) means the same order, and a rater who gives that order is right on it.
 */
@QuarkusTest
class GoldRankingAccuracyTest {

    @Inject
    DataSource database;

    @Test
    void aRaterWhoGivesTheGoldOrderIsRightWhateverRankNumbersTheGoldUsed() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("gold ranking", 1, 1.0, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Api.importJsonl(researcher, campaign, """
                {"prompt": "rank fruit", "completions": [{"text": "w"}, {"text": "x"}, {"text": "y"}, {"text": "z"}]}
                {"prompt": "rank trees", "completions": [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"text": "d"}]}
                """).then().statusCode(200);
        List<List<String>> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().extract()
                .path("completions.id");
        // w best, x and y tied, z last: stored as the dense ranks a rater's judgment would have.
        as(researcher).body(Map.of("completionIds", ids.get(0), "gold", Map.of("ranking", List.of(1, 3, 3, 4))))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201)
                .body("gold.ranking", equalTo(List.of(1, 2, 2, 3)));
        String oldTask = as(researcher).body(Map.of("completionIds", ids.get(1), "gold", Map.of("ranking", List.of(1, 1, 2, 3))))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201).extract().path("id");
        // A row stored before gold rankings were normalised keeps the ranks it was given: a and b tied best, c, d.
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE comparison_task SET gold_answer = '{\"ranking\": [2, 2, 3, 4]}' WHERE id = ?")) {
            update.setObject(1, UUID.fromString(oldTask));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        Api.activate(researcher, campaign);

        String careful = Api.user("careful", "rater");
        rankBoth(careful, campaign, Map.of("w", 1, "x", 2, "y", 2, "z", 4, "a", 1, "b", 1, "c", 2, "d", 3));
        String careless = Api.user("careless", "rater");
        rankBoth(careless, campaign, Map.of("w", 1, "x", 2, "y", 3, "z", 4, "a", 1, "b", 2, "c", 3, "d", 4));

        JsonPath stats = as(researcher).get("/api/campaigns/" + campaign + "/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getInt("raters.find { it.username.startsWith('careful') }.goldJudged")).isEqualTo(2);
        assertThat(stats.getInt("raters.find { it.username.startsWith('careful') }.goldCorrect")).isEqualTo(2);
        assertThat(stats.getDouble("raters.find { it.username.startsWith('careful') }.goldAccuracy")).isEqualTo(1.0);
        assertThat(stats.getInt("raters.find { it.username.startsWith('careless') }.goldJudged")).isEqualTo(2);
        assertThat(stats.getInt("raters.find { it.username.startsWith('careless') }.goldCorrect")).isEqualTo(0);

        // The exported gold answer is in the judgments' form too, for the old row as for the new one.
        List<String> records = as(researcher).get("/api/campaigns/" + campaign + "/export?format=full").then()
                .statusCode(200).extract().asString().lines().toList();
        assertThat(records).hasSize(4).allSatisfy(line -> {
            JsonPath record = JsonPath.from(line);
            assertThat(record.getList("goldAnswer.ranking")).isEqualTo(record.getString("completions[0].text").equals("w")
                    ? List.of(1, 2, 2, 3) : List.of(1, 1, 2, 3));
        });
    }

    /** Leases both gold tasks and ranks each completion by its text. */
    private static void rankBoth(String rater, String campaign, Map<String, Integer> rankOfText) {
        for (int i = 0; i < 2; i++) {
            var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200).extract();
            List<String> texts = task.path("completions.text");
            Map<String, Integer> ranking = new HashMap<>();
            for (int position = 0; position < texts.size(); position++) {
                ranking.put(String.valueOf((char) ('A' + position)), rankOfText.get(texts.get(position)));
            }
            as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "ranking", ranking))
                    .post("/api/rater/assignments/" + task.path("assignmentId") + "/judgment").then().statusCode(200);
        }
    }
}
