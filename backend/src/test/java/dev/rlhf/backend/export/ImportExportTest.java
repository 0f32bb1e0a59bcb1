package dev.rlhf.backend.export;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ImportExportTest {

    private static final String FILE = String.join("\n",
            "{\"prompt\": \"What is 2+2?\", \"tags\": [\"math\"], \"source\": \"unit\", \"completions\": "
                    + "[{\"text\": \"4\", \"model\": {\"modelId\": \"policy\", \"modelVersion\": \"7\"}, \"sampling\": {\"temperature\": 0.7}, \"tokenCount\": 1}, "
                    + "{\"text\": \"5\", \"model\": \"gpt-x\"}]}",
            "{\"prompt\": \"broken\", \"completions\": [{\"text\": \"\"}]}",
            "not json at all",
            "",
            "{\"prompt\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}",
            "{\"prompt\": \"Name a colour.\", \"completions\": [{\"text\": \"Blue\"}, {\"text\": \"Seven\"}]}",
            "{\"prompt\": \"Too many\", \"completions\": [{\"text\": \"a\", \"tokenCount\": -1}]}");

    @Test
    void badLinesAreReportedByNumberAndGoodLinesAreImportedWhole() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        Api.importJsonl(researcher, campaign, FILE).then().statusCode(200)
                .body("lines", equalTo(6))
                .body("importedPrompts", equalTo(2))
                .body("importedCompletions", equalTo(4))
                .body("errors.line", equalTo(List.of(2, 3, 5, 7)))
                .body("errors[0].message", equalTo("completions[0].text must be a non-empty string"))
                .body("errors[2].message", equalTo("prompt[0].role must be one of system, user, assistant"))
                .body("errors[3].message", equalTo("completions[0].tokenCount must be a non-negative integer"));
        as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().statusCode(200)
                .body("messages[0][0].content", equalTo("What is 2+2?"))
                .body("[0].tags", equalTo(List.of("math")))
                .body("[0].completions.text", equalTo(List.of("4", "5")))
                .body("[0].completions[0].model.modelVersion", equalTo("7"))
                .body("[0].completions[0].sampling.temperature", equalTo(0.7f))
                .body("[0].completions[1].model.externalName", equalTo("gpt-x"))
                .body("[1].messages[0].content", equalTo("Name a colour."));
    }

    @Test
    void promptsAreFoundByTextInTheirMessagesCaseInsensitivelyWithLikeCharactersTakenLiterally() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        Api.importJsonl(researcher, campaign, String.join("\n",
                "{\"prompt\": \"Name a COLOUR.\", \"completions\": [{\"text\": \"Blue\"}]}",
                "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief\"}, {\"role\": \"user\", \"content\": \"Is 100% of a colour_wheel red?\"}]}",
                "{\"prompt\": \"What is 2+2?\"}")).then().statusCode(200).body("importedPrompts", equalTo(3));
        String prompts = "/api/campaigns/" + campaign + "/prompts";
        as(researcher).queryParam("q", "colour").get(prompts).then().statusCode(200)
                .body("messages.collect { it[-1].content }", equalTo(List.of("Name a COLOUR.", "Is 100% of a colour_wheel red?")));
        as(researcher).queryParam("q", "100%").get(prompts).then().statusCode(200).body("size()", equalTo(1));
        as(researcher).queryParam("q", "0%").get(prompts).then().statusCode(200).body("size()", equalTo(1));
        as(researcher).queryParam("q", "a_c").get(prompts).then().statusCode(200).body("size()", equalTo(0));
        as(researcher).queryParam("q", "user").get(prompts).then().statusCode(200).body("size()", equalTo(0));
        as(researcher).queryParam("q", "brief").queryParam("size", 1).queryParam("page", 1).get(prompts).then()
                .statusCode(200).body("size()", equalTo(0));
        as(researcher).queryParam("q", "x".repeat(201)).get(prompts).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void trlExportHasTheFieldsAndTypesTrlDocumentsAndCountsWhatItLeavesOut() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        Api.importJsonl(researcher, campaign, FILE).then().statusCode(200);
        as(researcher).body(Map.of("strategy", "ALL_PAIRS", "seed", 1)).post("/api/campaigns/" + campaign + "/tasks/generate")
                .then().body("created", equalTo(2));
        Api.activate(researcher, campaign);
        // Rater 1 prefers the right answers strongly; rater 2 says tie; rater 3 says both bad.
        judgeAll(Api.user("rater", "rater"), campaign, "correct");
        judgeAll(Api.user("rater", "rater"), campaign, "TIE");
        judgeAll(Api.user("rater", "rater"), campaign, "BOTH_BAD");

        ExtractableResponse<Response> export = as(researcher).get("/api/campaigns/" + campaign + "/export?format=trl")
                .then().statusCode(200).extract();
        assertThat(export.header("X-Trl-Format")).isEqualTo("standard");
        assertThat(export.header("X-Pairwise-Preferences")).isEqualTo("2");
        assertThat(export.header("X-Skipped-Ties")).isEqualTo("2");
        assertThat(export.header("X-Skipped-Both-Bad")).isEqualTo("2");
        List<String> lines = export.asString().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            Map<String, Object> row = JsonPath.from(line).getMap("$");
            assertThat(row).containsOnlyKeys("prompt", "chosen", "rejected", "margin");
            assertThat(row.get("prompt")).isInstanceOf(String.class);
            assertThat(row.get("chosen")).isInstanceOf(String.class);
            assertThat(row.get("margin")).isInstanceOf(Number.class);
            assertThat(((Number) row.get("margin")).doubleValue()).isEqualTo(3.0);
            assertThat(row.get("chosen")).isIn("4", "Blue");
            assertThat(row.get("rejected")).isIn("5", "Seven");
        }
    }

    @Test
    void conversationsExportInTrlsConversationalForm() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        Api.importJsonl(researcher, campaign, "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                + "{\"role\": \"user\", \"content\": \"Capital of France?\"}], \"completions\": "
                + "[{\"text\": \"Paris\"}, {\"text\": \"Lyon\"}]}\n").then().statusCode(200);
        as(researcher).body(Map.of("strategy", "ALL_PAIRS")).post("/api/campaigns/" + campaign + "/tasks/generate");
        Api.activate(researcher, campaign);
        String rater = Api.user("rater", "rater");
        var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200).extract();
        String label = task.<List<String>>path("completions.text").get(0).equals("Paris") ? "A" : "B";
        as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", label, "strength", 2))
                .post("/api/rater/assignments/" + task.path("assignmentId") + "/judgment").then().statusCode(200);

        var export = as(researcher).get("/api/campaigns/" + campaign + "/export?format=trl").then().statusCode(200).extract();
        assertThat(export.header("X-Trl-Format")).isEqualTo("conversational");
        JsonPath row = JsonPath.from(export.asString().strip());
        assertThat(row.getList("prompt.role")).containsExactly("system", "user");
        assertThat(row.getList("chosen.role")).containsExactly("assistant");
        assertThat(row.getList("chosen.content")).containsExactly("Paris");
        assertThat(row.getList("rejected.content")).containsExactly("Lyon");
        assertThat(row.getDouble("margin")).isEqualTo(2.0);
        as(researcher).get("/api/campaigns/" + campaign + "/export?format=csv").then().statusCode(422);
    }

    @Test
    void whatIsImportedComesBackInTheFullExportWithTheVerdictInCanonicalOrder() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        List<String> file = List.of(
                "{\"prompt\": \"What is 2+2?\", \"tags\": [\"math\", \"easy\"], \"source\": \"gsm-mini\", \"completions\": ["
                        + "{\"text\": \"4\", \"model\": {\"modelId\": \"policy\", \"modelVersion\": \"7\"}, "
                        + "\"sampling\": {\"temperature\": 0.7, \"seed\": 11}, \"tokenCount\": 1}, "
                        + "{\"text\": \"five\", \"model\": \"gpt-x\", \"tokenCount\": 2}]}",
                "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Capital of France?\"}], "
                        + "\"completions\": [{\"text\": \"Paris\", \"sampling\": {\"top_p\": 0.9}}, {\"text\": \"Lyon\"}]}");
        Api.importJsonl(researcher, campaign, String.join("\n", file)).then().statusCode(200).body("importedPrompts", equalTo(2));
        as(researcher).body(Map.of("strategy", "ALL_PAIRS")).post("/api/campaigns/" + campaign + "/tasks/generate")
                .then().body("created", equalTo(2));
        Api.activate(researcher, campaign);
        String rater = Api.user("rater", "rater");
        // The rater prefers "five" and "Lyon" (the second completion of each line), clearly.
        while (true) {
            var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
            if (task.statusCode() == 204) {
                break;
            }
            List<String> shown = task.path("completions.text");
            String label = shown.get(0).equals("five") || shown.get(0).equals("Lyon") ? "A" : "B";
            as(rater).body(Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", label, "strength", 2))
                    .post("/api/rater/assignments/" + task.path("assignmentId") + "/judgment").then().statusCode(200);
        }

        List<JsonPath> records = as(researcher).get("/api/campaigns/" + campaign + "/export?format=full").then()
                .statusCode(200).extract().asString().lines().map(JsonPath::from).toList();
        assertThat(records).hasSize(2);
        for (JsonPath record : records) {
            JsonPath imported = JsonPath.from(file.get(record.getList("prompt.messages").size() == 1 ? 0 : 1));
            if (imported.get("prompt") instanceof String text) {
                assertThat(record.getList("prompt.messages.role")).containsExactly("user");
                assertThat(record.getList("prompt.messages.content")).containsExactly(text);
            } else {
                assertThat(record.getList("prompt.messages")).isEqualTo(imported.getList("prompt"));
            }
            assertThat(record.getList("prompt.tags")).isEqualTo(imported.getList("tags") == null ? List.of() : imported.getList("tags"));
            assertThat(record.getString("prompt.source")).isEqualTo(imported.getString("source"));
            List<Map<String, Object>> exported = record.getList("completions");
            assertThat(exported).extracting(c -> c.get("text"))
                    .containsExactlyInAnyOrderElementsOf(imported.getList("completions.text"));
            for (Map<String, Object> completion : exported) {
                Map<String, Object> source = imported.<Map<String, Object>>getList("completions").stream()
                        .filter(c -> c.get("text").equals(completion.get("text"))).findFirst().orElseThrow();
                assertThat(completion.get("tokenCount")).isEqualTo(source.get("tokenCount"));
                assertThat(completion.get("sampling")).isEqualTo(source.getOrDefault("sampling", Map.of()));
                Map<String, Object> model = new java.util.HashMap<>();
                model.put("modelId", null);
                model.put("modelVersion", null);
                model.put("externalName", null);
                if (source.get("model") instanceof String externalName) {
                    model.put("externalName", externalName);
                } else if (source.get("model") instanceof Map<?, ?> ref) {
                    ref.forEach((key, value) -> model.put((String) key, value));
                }
                assertThat(completion.get("model")).isEqualTo(model);
            }
            // Canonical order: the outcome names the position of the preferred text in the record's own list.
            String preferred = record.getString("outcome").equals("A") ? record.getString("completions[0].text")
                    : record.getString("completions[1].text");
            assertThat(preferred).isIn("five", "Lyon");
            assertThat(record.getInt("strength")).isEqualTo(2);
        }
    }

    private static String newCampaign(String researcher) {
        return as(researcher).body(Api.campaignInput("import " + UUID.randomUUID(), 3, 0.0,
                        Map.of("criteria", List.of(), "askStrength", true)))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
    }

    private static void judgeAll(String rater, String campaign, String how) {
        while (true) {
            var response = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
            if (response.statusCode() == 204) {
                return;
            }
            List<String> texts = response.path("completions.text");
            Map<String, Object> body = new java.util.HashMap<>();
            body.put("idempotencyKey", UUID.randomUUID().toString());
            if (how.equals("correct")) {
                body.put("choice", texts.get(0).equals("4") || texts.get(0).equals("Blue") ? "A" : "B");
                body.put("strength", 3);
            } else {
                body.put("choice", how);
            }
            as(rater).body(body).post("/api/rater/assignments/" + response.path("assignmentId") + "/judgment")
                    .then().statusCode(200);
        }
    }

    @Test
    void aLineWithANulCharacterIsReportedByNumberAndTheOtherLinesAreImported() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        Api.importJsonl(researcher, campaign, String.join("\n",
                "{\"prompt\": \"first\"}",
                "{\"prompt\": \"second\", \"completions\": [{\"text\": \"nul\\u0000here\"}]}",
                "{\"prompt\": \"third\", \"tags\": [\"x\\u0000\"]}",
                "{\"prompt\": \"fourth\"}")).then().statusCode(200)
                .body("importedPrompts", equalTo(2))
                .body("errors.line", equalTo(List.of(2, 3)))
                .body("errors[0].message", equalTo("completions[0].text must not contain the NUL character (\\u0000)"))
                .body("errors[1].message", equalTo("tags[0] must not contain the NUL character (\\u0000)"));
        as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().statusCode(200)
                .body("messages.collect { it[0].content }", equalTo(List.of("first", "fourth")));
    }

    @Test
    void aSearchForTextWithANulCharacterIsA400Problem() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = newCampaign(researcher);
        as(researcher).urlEncodingEnabled(false).get("/api/campaigns/" + campaign + "/prompts?q=a%00b").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("q: must not contain the NUL character (\\u0000)"));
    }
}
