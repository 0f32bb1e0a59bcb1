package dev.rlhf.backend.export;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ranking becomes one TRL row per strictly ordered pair; the pairs it ranks equal are left out and counted, and the
 * count headers describe exactly the rows of the body.
 */
@QuarkusTest
class TrlRankingExportTest {

    @Test
    void rankingsExpandToTheirOrderedPairsAndTheHeadersCountRowsAndTiedPairs() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("trl ranking " + UUID.randomUUID(), 2, 0.0,
                Api.choiceOnlyForm())).post("/api/campaigns").then().statusCode(201).extract().path("id");
        Api.importJsonl(researcher, campaign, """
                {"prompt": "fruit", "completions": [{"text": "w"}, {"text": "x"}, {"text": "y"}, {"text": "z"}]}
                {"prompt": "trees", "completions": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}
                {"prompt": "pick", "completions": [{"text": "good"}, {"text": "bad"}]}
                """).then().statusCode(200);
        List<List<String>> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().extract()
                .path("completions.id");
        for (List<String> task : ids) {
            as(researcher).body(Map.of("completionIds", task)).post("/api/campaigns/" + campaign + "/tasks")
                    .then().statusCode(201);
        }
        Api.activate(researcher, campaign);
        // First rater: x best, w and z tied, y last; a, b, c all tied; "good" over "bad".
        judgeAll(Api.user("rater", "rater"), campaign,
                Map.of("x", 1, "w", 2, "z", 2, "y", 4, "a", 1, "b", 1, "c", 1), "good");
        // Second rater: w, x, y, z in that order; a best, b and c tied; a tie between "good" and "bad".
        judgeAll(Api.user("rater", "rater"), campaign,
                Map.of("w", 1, "x", 2, "y", 3, "z", 4, "a", 1, "b", 2, "c", 2), "TIE");

        ExtractableResponse<Response> export = as(researcher).get("/api/campaigns/" + campaign + "/export?format=trl")
                .then().statusCode(200).extract();

        List<String> rows = export.asString().lines().map(line -> {
            JsonPath row = JsonPath.from(line);
            return row.getString("prompt") + ": " + row.getString("chosen") + " > " + row.getString("rejected")
                    + " by " + row.getDouble("margin");
        }).sorted().toList();
        assertThat(rows).containsExactly(
                "fruit: w > x by 1.0", "fruit: w > y by 1.0", "fruit: w > y by 2.0", "fruit: w > z by 3.0",
                "fruit: x > w by 1.0", "fruit: x > y by 1.0", "fruit: x > y by 2.0", "fruit: x > z by 1.0",
                "fruit: x > z by 2.0", "fruit: y > z by 1.0", "fruit: z > y by 1.0",
                "pick: good > bad by 0.0",
                "trees: a > b by 1.0", "trees: a > c by 1.0");
        assertThat(export.header("X-Exported-Pairs")).isEqualTo("14");
        assertThat(export.header("X-Pairwise-Preferences")).isEqualTo("1");
        assertThat(export.header("X-Rankings-Expanded")).isEqualTo("4");
        // w=z in the first fruit ranking, a=b=c (3 pairs), b=c in the second trees ranking.
        assertThat(export.header("X-Skipped-Tied-Pairs")).isEqualTo("5");
        assertThat(export.header("X-Skipped-Ties")).isEqualTo("1");
        assertThat(export.header("X-Skipped-Both-Bad")).isEqualTo("0");
    }

    /** Judges every task the rater is served: rankings by each text's rank, the pair by {@code pick} (a text or TIE). */
    private static void judgeAll(String rater, String campaign, Map<String, Integer> rankOfText, String pick) {
        while (true) {
            var response = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
            if (response.statusCode() == 204) {
                return;
            }
            List<String> texts = response.path("completions.text");
            Map<String, Object> body = new HashMap<>(Map.of("idempotencyKey", UUID.randomUUID().toString()));
            if (texts.size() == 2) {
                body.put("choice", pick.equals("TIE") ? "TIE" : texts.get(0).equals(pick) ? "A" : "B");
            } else {
                Map<String, Integer> ranking = new HashMap<>();
                for (int position = 0; position < texts.size(); position++) {
                    ranking.put(String.valueOf((char) ('A' + position)), rankOfText.get(texts.get(position)));
                }
                body.put("ranking", ranking);
            }
            as(rater).body(body).post("/api/rater/assignments/" + response.path("assignmentId") + "/judgment")
                    .then().statusCode(200);
        }
    }
}
