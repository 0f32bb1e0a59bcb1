package dev.rlhf.backend.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;

/** Test-side client: accounts, logins and the usual setup calls, all through the public HTTP API. */
public final class Api {

    public static final String ADMIN_PASSWORD = "admin-test-password";
    public static final String PASSWORD = "password-for-tests";

    private Api() {
    }

    public static String login(String username, String password) {
        return RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().path("token");
    }

    public static String admin() {
        return login("admin", ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Creates an account with a unique username and returns its token. */
    public static String user(String prefix, String... roles) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin()).body(Map.of("username", username, "password", PASSWORD, "roles", List.of(roles)))
                .post("/api/users").then().statusCode(201);
        return login(username, PASSWORD);
    }

    public static String userId(String token) {
        return as(token).get("/api/auth/me").then().statusCode(200).extract().path("id");
    }

    public static Map<String, Object> campaignInput(String name, int overlap, double goldRatio, Map<String, Object> form) {
        return Map.of("name", name, "overlap", overlap, "goldRatio", goldRatio, "form", form,
                "guidelines", "# Guidelines\nPrefer the **helpful** answer.");
    }

    public static Map<String, Object> choiceOnlyForm() {
        return Map.of("criteria", List.of(), "askStrength", false, "askRationale", false,
                "requireRationale", false, "askCorrection", false);
    }

    /** Leases the rater's next task of the campaign (expecting one) and answers its assignment id. */
    public static String lease(String rater, String campaignId) {
        return as(rater).post("/api/rater/campaigns/" + campaignId + "/next").then().statusCode(200)
                .extract().path("assignmentId");
    }

    /** Creates an ACTIVE campaign with {@code prompts} prompts of two completions each, one pair task per prompt. */
    public static String activeCampaign(String researcher, int overlap, int prompts, Map<String, Object> form) {
        String id = as(researcher).body(campaignInput("campaign " + UUID.randomUUID(), overlap, 0.0, form))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < prompts; i++) {
            jsonl.append("{\"prompt\": \"question ").append(i).append("\", \"completions\": [")
                    .append("{\"text\": \"first answer ").append(i).append("\"},")
                    .append("{\"text\": \"second answer ").append(i).append("\"}]}\n");
        }
        importJsonl(researcher, id, jsonl.toString()).then().statusCode(200)
                .body("importedPrompts", equalTo(prompts));
        as(researcher).body(Map.of("strategy", "ALL_PAIRS", "seed", 7))
                .post("/api/campaigns/" + id + "/tasks/generate").then().statusCode(200).body("created", equalTo(prompts));
        activate(researcher, id);
        return id;
    }

    public static io.restassured.response.Response importJsonl(String researcher, String campaignId, String jsonl) {
        return as(researcher).contentType("application/x-ndjson")
                .body(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/campaigns/" + campaignId + "/import");
    }

    public static void activate(String researcher, String campaignId) {
        as(researcher).body(Map.of("status", "ACTIVE")).put("/api/campaigns/" + campaignId + "/status")
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
    }
}
