package dev.rlhf.backend.judgment;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class JudgmentSubmissionTest {

    private static final Map<String, Object> FULL_FORM = Map.of("criteria", List.of("helpfulness", "honesty"),
            "askStrength", true, "askRationale", true, "requireRationale", true, "askCorrection", true);

    private static ExtractableResponse<Response> lease(String rater, String campaign) {
        return as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200).extract();
    }

    private static Map<String, Object> fullJudgment(String choice) {
        Map<String, Object> body = new HashMap<>();
        body.put("idempotencyKey", UUID.randomUUID().toString());
        body.put("choice", choice);
        body.put("strength", 3);
        body.put("criteria", Map.of("helpfulness", 6, "honesty", 7));
        body.put("rationale", "accurate and clear");
        body.put("correctedAnswer", "an even better answer");
        body.put("flags", List.of("OFF_TOPIC"));
        body.put("timeOnTaskMs", 4200);
        return body;
    }

    @Test
    void theChoiceIsStoredInCanonicalOrderWhateverTheDisplayOrder() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 20, 1, FULL_FORM);
        // Many raters each see a random display order; all choose the text "first answer 0".
        for (int i = 0; i < 8; i++) {
            String rater = Api.user("rater", "rater");
            var task = lease(rater, campaign);
            List<String> texts = task.path("completions.text");
            String label = texts.get(0).equals("first answer 0") ? "A" : "B";
            as(rater).body(fullJudgment(label))
                    .post("/api/rater/assignments/" + task.path("assignmentId") + "/judgment").then().statusCode(200);
        }
        String export = as(researcher).get("/api/campaigns/" + campaign + "/export?format=full")
                .then().statusCode(200).extract().asString();
        List<String> lines = export.lines().toList();
        assertThat(lines).hasSize(8);
        for (String line : lines) {
            var record = io.restassured.path.json.JsonPath.from(line);
            int chosen = record.getString("outcome").equals("A") ? 0 : 1;
            assertThat(record.getString("completions[" + chosen + "].text")).isEqualTo("first answer 0");
            assertThat(record.getInt("strength")).isEqualTo(3);
            assertThat(record.getInt("criteria.honesty")).isEqualTo(7);
            assertThat(record.getList("flags")).containsExactly("OFF_TOPIC");
            assertThat(record.getInt("guidelineVersion")).isEqualTo(1);
            assertThat(record.getString("raterId")).startsWith("r-");
        }
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheStoredJudgmentAndNeverADuplicate() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = lease(rater, campaign).path("assignmentId");
        Map<String, Object> body = Map.of("idempotencyKey", "key-" + UUID.randomUUID(), "choice", "TIE");
        String first = as(rater).body(body).post("/api/rater/assignments/" + assignment + "/judgment")
                .then().statusCode(200).body("replayed", equalTo(false)).extract().path("judgmentId");
        String second = as(rater).body(body).post("/api/rater/assignments/" + assignment + "/judgment")
                .then().statusCode(200).body("replayed", equalTo(true)).extract().path("judgmentId");
        assertThat(second).isEqualTo(first);
        as(researcher).get("/api/campaigns/" + campaign).then().body("judgments", equalTo(1));
        // Another key on the same, already judged assignment is a conflict, not a second judgment.
        as(rater).body(Map.of("idempotencyKey", "key-" + UUID.randomUUID(), "choice", "A"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(409);
        // The same key on another assignment is a conflict too.
        String next = lease(rater, campaign).path("assignmentId");
        as(rater).body(body).post("/api/rater/assignments/" + next + "/judgment").then().statusCode(409);
    }

    @Test
    void theFormIsEnforced() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, FULL_FORM);
        String rater = Api.user("rater", "rater");
        String url = "/api/rater/assignments/" + lease(rater, campaign).path("assignmentId") + "/judgment";

        Map<String, Object> noStrength = fullJudgment("A");
        noStrength.remove("strength");
        as(rater).body(noStrength).post(url).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("strength"));

        Map<String, Object> tieWithStrength = fullJudgment("TIE");
        as(rater).body(tieWithStrength).post(url).then().statusCode(422).body("errors[0].field", equalTo("strength"));

        Map<String, Object> missingCriterion = fullJudgment("B");
        missingCriterion.put("criteria", Map.of("helpfulness", 6));
        as(rater).body(missingCriterion).post(url).then().statusCode(422).body("detail", containsString("honesty"));

        Map<String, Object> outOfRange = fullJudgment("B");
        outOfRange.put("criteria", Map.of("helpfulness", 8, "honesty", 1));
        as(rater).body(outOfRange).post(url).then().statusCode(422).body("errors[0].field", equalTo("criteria.helpfulness"));

        Map<String, Object> noRationale = fullJudgment("B");
        noRationale.put("rationale", "  ");
        as(rater).body(noRationale).post(url).then().statusCode(422).body("errors[0].field", equalTo("rationale"));

        Map<String, Object> badStrength = fullJudgment("B");
        badStrength.put("strength", 4);
        as(rater).body(badStrength).post(url).then().statusCode(422).body("errors[0].field", equalTo("strength"));

        Map<String, Object> badChoice = fullJudgment("C");
        as(rater).body(badChoice).post(url).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("choice"));

        Map<String, Object> badFlag = fullJudgment("B");
        badFlag.put("flags", List.of("BORING"));
        as(rater).body(badFlag).post(url).then().statusCode(400).contentType("application/problem+json");

        Map<String, Object> shortKey = fullJudgment("B");
        shortKey.put("idempotencyKey", "abc");
        as(rater).body(shortKey).post(url).then().statusCode(422).body("errors[0].field", equalTo("idempotencyKey"));

        // None of the refused attempts consumed the lease: a valid judgment still goes through.
        as(rater).body(fullJudgment("B")).post(url).then().statusCode(200);
    }

    @Test
    void aRankingIsStoredInCanonicalOrderWithDenseRanks() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("ranking", 1, 0.0, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Api.importJsonl(researcher, campaign, "{\"prompt\": \"rank\", \"completions\": [{\"text\": \"w\"}, {\"text\": \"x\"},"
                + " {\"text\": \"y\"}, {\"text\": \"z\"}]}\n").then().statusCode(200);
        List<String> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().extract().path("[0].completions.id");
        as(researcher).body(Map.of("completionIds", ids)).post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        Api.activate(researcher, campaign);
        String rater = Api.user("rater", "rater");
        var task = lease(rater, campaign);
        List<String> texts = task.path("completions.text");
        // The rater ranks by text: x best, then w and z tied, then y last (given as rank 4, stored densely as 3).
        Map<String, Integer> byText = Map.of("x", 1, "w", 2, "z", 2, "y", 4);
        Map<String, Integer> ranking = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            ranking.put(String.valueOf((char) ('A' + i)), byText.get(texts.get(i)));
        }
        String url = "/api/rater/assignments/" + task.path("assignmentId") + "/judgment";
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A")).post(url).then().statusCode(422);
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "ranking", Map.of("A", 1, "B", 2)))
                .post(url).then().statusCode(422);
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "ranking", ranking)).post(url).then().statusCode(200);

        String line = as(researcher).get("/api/campaigns/" + campaign + "/export?format=full").then().extract().asString().strip();
        var record = io.restassured.path.json.JsonPath.from(line);
        assertThat(record.getString("outcome")).isEqualTo("RANKING");
        assertThat(record.getList("completions.text")).containsExactly("w", "x", "y", "z");
        assertThat(record.getList("ranking")).containsExactly(2, 1, 3, 2);
    }

    @Test
    void aRaterCannotTouchAnotherRatersAssignment() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 1, Api.choiceOnlyForm());
        String owner = Api.user("rater", "rater");
        String intruder = Api.user("rater", "rater");
        String assignment = lease(owner, campaign).path("assignmentId");
        as(intruder).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(404);
        as(intruder).post("/api/rater/assignments/" + assignment + "/release").then().statusCode(404);
        as(intruder).body(Map.of("reason", "nope")).post("/api/rater/assignments/" + assignment + "/skip").then().statusCode(404);
        as(owner).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);
    }

    @Test
    void inactiveCampaignsServeNoTasks() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        as(researcher).body(Map.of("status", "PAUSED")).put("/api/campaigns/" + campaign + "/status").then().statusCode(200);
        String rater = Api.user("rater", "rater");
        as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(409);
        List<String> open = as(rater).get("/api/rater/campaigns").then().statusCode(200).extract().path("id");
        assertThat(open).doesNotContain(campaign);
    }

    @Test
    void nullElementsInCollectionsAreRefusedNamingTheElement() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, FULL_FORM);
        String rater = Api.user("rater", "rater");
        String url = "/api/rater/assignments/" + lease(rater, campaign).path("assignmentId") + "/judgment";

        Map<String, Object> nullFlag = fullJudgment("A");
        nullFlag.put("flags", java.util.Arrays.asList("UNSAFE", null));
        as(rater).body(nullFlag).post(url).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", containsString("flags"));

        Map<String, Object> nullScore = fullJudgment("A");
        Map<String, Object> criteria = new HashMap<>(Map.of("helpfulness", 6));
        criteria.put("honesty", null);
        nullScore.put("criteria", criteria);
        as(rater).body(nullScore).post(url).then().statusCode(422).body("errors[0].field", equalTo("criteria[honesty]"));

        Map<String, Object> nullRank = new HashMap<>(Map.of("idempotencyKey", UUID.randomUUID().toString()));
        Map<String, Object> ranking = new HashMap<>(Map.of("A", 1));
        ranking.put("B", null);
        nullRank.put("ranking", ranking);
        as(rater).body(nullRank).post(url).then().statusCode(422).body("errors[0].field", equalTo("ranking[B]"));

        as(rater).body(fullJudgment("B")).post(url).then().statusCode(200);
    }

    @Test
    void enumsRefuseNumbersAndWholeNumberFieldsRefuseFractions() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, FULL_FORM);
        String rater = Api.user("rater", "rater");
        String url = "/api/rater/assignments/" + lease(rater, campaign).path("assignmentId") + "/judgment";

        Map<String, Object> choiceByIndex = fullJudgment("A");
        choiceByIndex.put("choice", 0);
        as(rater).body(choiceByIndex).post(url).then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("choice: '0' is not one of [A, B, TIE, BOTH_BAD]"));

        Map<String, Object> fractionalStrength = fullJudgment("A");
        fractionalStrength.put("strength", 2.9);
        as(rater).body(fractionalStrength).post(url).then().statusCode(400)
                .body("detail", equalTo("strength: '2.9' is not a value of type Integer"));

        as(rater).body(fullJudgment("A")).post(url).then().statusCode(200);
    }

    @Test
    void aNulCharacterInARationaleOrASkipReasonIsA400ProblemNamingTheField() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, FULL_FORM);
        String rater = Api.user("rater", "rater");
        String assignment = lease(rater, campaign).path("assignmentId");

        Map<String, Object> judgment = fullJudgment("A");
        judgment.put("rationale", "clear\u0000er");
        as(rater).body(judgment).post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("rationale: must not contain the NUL character (\\u0000)"));
        as(rater).body(Map.of("reason", "dup\u0000licate")).post("/api/rater/assignments/" + assignment + "/skip")
                .then().statusCode(400).body("detail", equalTo("reason: must not contain the NUL character (\\u0000)"));

        as(rater).body(fullJudgment("A")).post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);
    }
}
