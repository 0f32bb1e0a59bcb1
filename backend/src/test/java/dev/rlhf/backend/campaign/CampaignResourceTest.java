package dev.rlhf.backend.campaign;

import dev.rlhf.backend.Pages;
import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class CampaignResourceTest {

    @Test
    void createReadEditAndListACampaign() {
        String researcher = Api.user("researcher", "researcher");
        Map<String, Object> input = new HashMap<>(Api.campaignInput("Helpfulness", 3, 0.1, Api.choiceOnlyForm()));
        String id = as(researcher).body(input).post("/api/campaigns").then().statusCode(201)
                .body("status", equalTo("DRAFT")).body("overlap", equalTo(3)).body("leaseMinutes", equalTo(10))
                .body("guidelineVersion", equalTo(1)).extract().path("id");
        input.put("overlap", 5);
        input.put("name", "Helpfulness v2");
        as(researcher).body(input).put("/api/campaigns/" + id).then().statusCode(200)
                .body("overlap", equalTo(5)).body("name", equalTo("Helpfulness v2"))
                .body("guidelineVersion", equalTo(1)); // same guidelines text: no new version
        as(researcher).get("/api/campaigns/" + id).then().statusCode(200).body("name", equalTo("Helpfulness v2"));
        as(researcher).get("/api/campaigns").then().statusCode(200).body("id", hasItems(id));
    }

    @Test
    void guidelinesAreVersionedAndJudgmentsRecordTheirVersion() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 2, Api.choiceOnlyForm());
        as(researcher).body(Map.of("markdown", "# v2\nBe strict.")).put("/api/campaigns/" + campaign + "/guidelines")
                .then().statusCode(200).body("version", equalTo(2));
        as(researcher).get("/api/campaigns/" + campaign + "/guidelines").then().statusCode(200)
                .body("version", equalTo(List.of(1, 2))).body("[1].markdown", containsString("Be strict"));
        String rater = Api.user("rater", "rater");
        as(rater).get("/api/rater/campaigns/" + campaign + "/guidelines").then().statusCode(200)
                .body("version", equalTo(2));
        String assignment = as(rater).post("/api/rater/campaigns/" + campaign + "/next").then()
                .body("guidelineVersion", equalTo(2)).extract().path("assignmentId");
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "B"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);
        as(researcher).get("/api/campaigns/" + campaign + "/judgments").then().statusCode(200)
                .body("guidelineVersion", equalTo(List.of(2)));
    }

    @Test
    void everyFieldIsValidated() {
        String researcher = Api.user("researcher", "researcher");
        Map<String, Object> bad = new HashMap<>(Api.campaignInput("", 0, 1.5, Api.choiceOnlyForm()));
        bad.put("leaseMinutes", 1000);
        as(researcher).body(bad).post("/api/campaigns").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "overlap", "goldRatio", "leaseMinutes"));
        Map<String, Object> badCriterion = new HashMap<>(Api.campaignInput("ok", 1, 0, Map.of("criteria", List.of("Not A Name"))));
        as(researcher).body(badCriterion).post("/api/campaigns").then().statusCode(422)
                .body("errors[0].field", containsString("criteria"));
        as(researcher).body("{\"name\": \"x\", \"overlap\": \"three\"}").post("/api/campaigns").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("overlap"));
        as(researcher).body(Map.of("status", "FINISHED")).put("/api/campaigns/" + UUID.randomUUID() + "/status")
                .then().statusCode(400);
    }

    @Test
    void unknownIdsAre404ProblemsAndMalformedIdsNever500() {
        String researcher = Api.user("researcher", "researcher");
        as(researcher).get("/api/campaigns/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        as(researcher).get("/api/campaigns/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        as(researcher).get("/api/no-such-endpoint").then().statusCode(404);
    }

    @Test
    void anOversizedBodyIsA413ProblemAndNothingIsImported() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("big", 1, 0.0, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        String line = "{\"prompt\": \"" + "x".repeat(1000) + "\"}\n";
        String body = line.repeat(21_000); // about 21 MB, over the 20 MB limit
        Api.importJsonl(researcher, campaign, body).then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aClosedCampaignCannotBeReopened() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        as(researcher).body(Map.of("status", "CLOSED")).put("/api/campaigns/" + campaign + "/status").then().statusCode(200);
        as(researcher).body(Map.of("status", "ACTIVE")).put("/api/campaigns/" + campaign + "/status").then().statusCode(409);
    }

    @Test
    void taskCreationChecksItsCompletions() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        List<List<String>> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then()
                .body("$", hasSize(2)).extract().path("completions.id");
        // Completions of two different prompts cannot share a task.
        as(researcher).body(Map.of("completionIds", List.of(ids.get(0).get(0), ids.get(1).get(0))))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(422).body("detail", containsString("same prompt"));
        as(researcher).body(Map.of("completionIds", List.of(ids.get(0).get(0), ids.get(0).get(0))))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(422);
        as(researcher).body(Map.of("completionIds", List.of(ids.get(0).get(0), UUID.randomUUID().toString())))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(422);
        as(researcher).body(Map.of("completionIds", ids.get(0), "gold", Map.of("ranking", List.of(1, 2))))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(422);
        // Generating again creates nothing new: every pair already has its task.
        as(researcher).body(Map.of("strategy", "ALL_PAIRS")).post("/api/campaigns/" + campaign + "/tasks/generate")
                .then().statusCode(200).body("created", equalTo(0));
    }

    @Test
    void aFormNoRaterCanSatisfyIsRefusedNamingTheField() {
        String researcher = Api.user("researcher", "researcher");
        Map<String, Object> rationaleRequiredNotAsked = new HashMap<>(Api.choiceOnlyForm());
        rationaleRequiredNotAsked.put("requireRationale", true);
        as(researcher).body(Api.campaignInput("unanswerable", 1, 0, rationaleRequiredNotAsked)).post("/api/campaigns")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("form.requireRationale"))
                .body("detail", containsString("askRationale"));

        Map<String, Object> nullCriterion = new HashMap<>(Api.choiceOnlyForm());
        nullCriterion.put("criteria", java.util.Arrays.asList("helpfulness", null));
        as(researcher).body(Api.campaignInput("unanswerable", 1, 0, nullCriterion)).post("/api/campaigns")
                .then().statusCode(422).body("errors[0].field", equalTo("form.criteria[1]"));

        String campaign = as(researcher).body(Api.campaignInput("answerable", 1, 0, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        as(researcher).body(Api.campaignInput("unanswerable", 1, 0, rationaleRequiredNotAsked)).put("/api/campaigns/" + campaign)
                .then().statusCode(422).body("errors[0].field", equalTo("form.requireRationale"));
    }

    @Test
    void aStatusGivenAsANumberIsRefusedAndTheCampaignKeepsItsStatus() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        as(researcher).body("{\"status\": 3}").put("/api/campaigns/" + campaign + "/status").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("status: '3' is not one of [DRAFT, ACTIVE, PAUSED, CLOSED]"));
        as(researcher).get("/api/campaigns/" + campaign).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        String researcher = Api.user("researcher", "researcher");
        Map<String, Object> typo = new HashMap<>(Api.campaignInput("typo", 1, 0, Api.choiceOnlyForm()));
        typo.put("leaseMinuts", 60);
        as(researcher).body(typo).post("/api/campaigns").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown field 'leaseMinuts'"));
    }

    @Test
    void aWholeNumberFieldRefusesAFraction() {
        String researcher = Api.user("researcher", "researcher");
        Map<String, Object> fractional = new HashMap<>(Api.campaignInput("fraction", 1, 0, Api.choiceOnlyForm()));
        fractional.put("overlap", 2.5);
        as(researcher).body(fractional).post("/api/campaigns").then().statusCode(400)
                .body("detail", equalTo("overlap: '2.5' is not a value of type Integer"));
    }

    @Test
    void aNulCharacterInTheNameIsA400ProblemNamingTheField() {
        String researcher = Api.user("researcher", "researcher");
        as(researcher).body(Api.campaignInput("nul\u0000name", 1, 0, Api.choiceOnlyForm())).post("/api/campaigns")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("name: must not contain the NUL character (\\u0000)"));
    }

    @Test
    void pagesWhoseFirstItemIsBeyondWhatCanBeAddressedAre400NotA500() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        for (String list : List.of("tasks", "prompts", "judgments")) {
            // The next page's first item, 4,294,968 × 500, is past Integer.MAX_VALUE.
            as(researcher).queryParam("page", Pages.MAX_PAGE + 1).queryParam("size", Pages.MAX_SIZE)
                    .get("/api/campaigns/" + campaign + "/" + list).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("page: must be less than or equal to " + Pages.MAX_PAGE));
            as(researcher).queryParam("page", Pages.MAX_PAGE).queryParam("size", Pages.MAX_SIZE)
                    .get("/api/campaigns/" + campaign + "/" + list).then().statusCode(200).body("$", hasSize(0));
        }
    }
}
