package dev.rlhf.backend.stats;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class CampaignStatisticsTest {

    @Test
    void goldAccuracyAgreementAndThroughputFromRealJudgments() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("stats", 2, 0.2, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            jsonl.append("{\"prompt\": \"q").append(i).append("\", \"completions\": [{\"text\": \"first answer ")
                    .append(i).append("\"}, {\"text\": \"second answer ").append(i).append("\"}]}\n");
        }
        Api.importJsonl(researcher, campaign, jsonl.toString()).then().statusCode(200);
        List<List<String>> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().extract().path("completions.id");
        // Canonical order is chosen here: "first answer" is canonical A on prompts 0 and 1, B on 2 and 3,
        // so a rater who always picks the first answer gives A, A, B, B.
        for (int i = 0; i < 4; i++) {
            List<String> pair = i < 2 ? ids.get(i) : List.of(ids.get(i).get(1), ids.get(i).get(0));
            as(researcher).body(Map.of("completionIds", pair)).post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        }
        // A gold task on prompt 0 whose right answer is canonical A, "first answer 0".
        as(researcher).body(Map.of("completionIds", ids.get(0), "gold", Map.of("choice", "A")))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        Api.activate(researcher, campaign);

        String careful = Api.user("careful", "rater");
        String contrary = Api.user("contrary", "rater");
        judgeEverything(careful, campaign, true, false);
        judgeEverything(contrary, campaign, false, true);

        as(researcher).get("/api/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("judgments", equalTo(10))
                .body("flagged", equalTo(5))
                .body("raters", hasSize(2))
                .body("raters.find { it.username.startsWith('careful') }.goldJudged", equalTo(1))
                .body("raters.find { it.username.startsWith('careful') }.goldAccuracy", equalTo(1.0f))
                .body("raters.find { it.username.startsWith('contrary') }.goldAccuracy", equalTo(0.0f))
                // On the 4 shared non-gold tasks the two always disagree, each always picking its own side.
                .body("pairwiseKappa", hasSize(1))
                .body("pairwiseKappa[0].sharedTasks", equalTo(4))
                .body("pairwiseKappa[0].kappa", equalTo(-1.0f))
                .body("krippendorffAlpha", equalTo(-0.75f))
                // Ten judgments made within seconds: one hour, or two when the test runs across an hour's end.
                .body("throughputPerHour.sum { it.judgments }", equalTo(10))
                .body("throughputPerHour.size()", lessThanOrEqualTo(2));
    }

    @Test
    void anEmptyCampaignHasUndefinedAgreement() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 1, Api.choiceOnlyForm());
        as(researcher).get("/api/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("judgments", equalTo(0)).body("krippendorffAlpha", nullValue()).body("pairwiseKappa", hasSize(0));
    }

    /** Picks the "first answer" text when {@code first}, else the other one; flags every judgment when asked. */
    private static void judgeEverything(String rater, String campaign, boolean first, boolean flag) {
        while (true) {
            var response = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
            if (response.statusCode() == 204) {
                return;
            }
            List<String> texts = response.path("completions.text");
            boolean firstShownFirst = texts.get(0).startsWith("first");
            String label = first == firstShownFirst ? "A" : "B";
            Map<String, Object> body = new java.util.HashMap<>(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", label));
            if (flag) {
                body.put("flags", List.of("BROKEN"));
            }
            as(rater).body(body).post("/api/rater/assignments/" + response.path("assignmentId") + "/judgment").then().statusCode(200);
        }
    }
}
