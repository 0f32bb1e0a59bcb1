package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint against every role: anonymous callers get 401, the wrong role 403, the right role
 * anything but 401/403 (the request may still be refused for its content). Bodies are valid where it
 * matters, so a 403 cannot hide behind a 400.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

    record Endpoint(String method, String path, String body, String allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final Map<String, String> tokens = new java.util.HashMap<>();
    private String campaign;

    /** Lazily, on the first test: the application is not listening yet when @BeforeAll runs. */
    private void accounts() {
        if (campaign != null) {
            return;
        }
        tokens.put("rater", Api.user("m-rater", "rater"));
        tokens.put("researcher", Api.user("m-researcher", "researcher"));
        tokens.put("admin", Api.user("m-admin", "admin"));
        campaign = Api.activeCampaign(tokens.get("researcher"), 1, 1, Api.choiceOnlyForm());
    }

    static Stream<Endpoint> endpoints() {
        String campaignBody = "{\"name\":\"m\",\"overlap\":1,\"goldRatio\":0,\"form\":{\"criteria\":[]}}";
        String someId = UUID.randomUUID().toString();
        List<Endpoint> list = new ArrayList<>(List.of(
                new Endpoint("GET", "/api/auth/me", null, "rater,researcher,admin"),
                new Endpoint("GET", "/api/rater/campaigns", null, "rater"),
                new Endpoint("GET", "/api/rater/campaigns/{c}/guidelines", null, "rater"),
                new Endpoint("POST", "/api/rater/campaigns/{c}/next", null, "rater"),
                new Endpoint("POST", "/api/rater/assignments/" + someId + "/judgment",
                        "{\"idempotencyKey\":\"abcdefgh\",\"choice\":\"A\"}", "rater"),
                new Endpoint("POST", "/api/rater/assignments/" + someId + "/skip", "{\"reason\":\"x\"}", "rater"),
                new Endpoint("POST", "/api/rater/assignments/" + someId + "/release", null, "rater"),
                new Endpoint("GET", "/api/campaigns", null, "researcher"),
                new Endpoint("POST", "/api/campaigns", campaignBody, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}", null, "researcher"),
                new Endpoint("PUT", "/api/campaigns/{c}", campaignBody, "researcher"),
                new Endpoint("PUT", "/api/campaigns/{c}/status", "{\"status\":\"ACTIVE\"}", "researcher"),
                // An unknown id: the researcher's call must not delete the campaign the other endpoints use.
                new Endpoint("DELETE", "/api/campaigns/" + someId, null, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/guidelines", null, "researcher"),
                new Endpoint("PUT", "/api/campaigns/{c}/guidelines", "{\"markdown\":\"# g\"}", "researcher"),
                new Endpoint("POST", "/api/campaigns/{c}/import", "{\"prompt\":\"p\"}", "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/prompts", null, "researcher"),
                new Endpoint("POST", "/api/campaigns/{c}/tasks/generate", "{\"strategy\":\"ALL_PAIRS\"}", "researcher"),
                new Endpoint("POST", "/api/campaigns/{c}/tasks", "{\"completionIds\":[]}", "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/tasks", null, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/judgments", null, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/export?format=trl", null, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/export?format=full", null, "researcher"),
                new Endpoint("GET", "/api/campaigns/{c}/stats", null, "researcher"),
                new Endpoint("GET", "/api/users", null, "admin"),
                new Endpoint("POST", "/api/users", "{\"username\":\"u-" + someId.substring(0, 6)
                        + "\",\"password\":\"longenough\",\"roles\":[\"rater\"]}", "admin"),
                new Endpoint("GET", "/api/users/" + someId, null, "admin"),
                new Endpoint("PUT", "/api/users/" + someId, "{\"displayName\":\"x\"}", "admin"),
                new Endpoint("DELETE", "/api/users/" + someId, null, "admin"),
                // No worker is configured in this profile: the researcher gets a 503 problem, the others 401/403.
                new Endpoint("GET", "/api/reward-models/versions", null, "researcher"),
                new Endpoint("GET", "/api/reward-models/versions/v1", null, "researcher"),
                new Endpoint("POST", "/api/reward-models/versions", null, "researcher"),
                new Endpoint("GET", "/api/reward-models/training", null, "researcher"),
                new Endpoint("GET", "/api/reward-models/dataset", null, "researcher")));
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void eachRoleIsAllowedOrRefused(Endpoint endpoint) {
        accounts();
        String path = endpoint.path().replace("{c}", campaign);
        assertThat(call(RestAssured.given(), endpoint, path)).as("anonymous").isEqualTo(401);
        for (String role : List.of("rater", "researcher", "admin")) {
            int status = call(RestAssured.given().header("Authorization", "Bearer " + tokens.get(role)), endpoint, path);
            if (List.of(endpoint.allowed().split(",")).contains(role)) {
                assertThat(status).as(role + " on " + endpoint).isNotIn(401, 403)
                        .matches(code -> code < 500 || (code == 503 && path.startsWith("/api/reward-models")),
                                "below 500 (503 only where no reward-model worker is configured)");
            } else {
                assertThat(status).as(role + " on " + endpoint).isEqualTo(403);
            }
        }
    }

    /** Endpoints anyone may call; every other operation the OpenAPI document lists must be in {@link #endpoints()}. */
    private static final List<String> PUBLIC = List.of("POST /api/auth/login", "POST /api/auth/logout");

    @Test
    void everyOperationOfTheApiIsInTheMatrix() {
        Map<String, Map<String, Object>> paths = RestAssured.given().accept(ContentType.JSON).get("/q/openapi")
                .then().statusCode(200).extract().path("paths");
        List<Endpoint> matrix = endpoints().toList();
        List<String> missing = new ArrayList<>();
        paths.forEach((template, operations) -> operations.keySet().stream()
                .filter(method -> List.of("get", "post", "put", "delete", "patch").contains(method))
                .map(method -> method.toUpperCase(java.util.Locale.ROOT) + " " + template)
                .filter(operation -> !PUBLIC.contains(operation))
                .filter(operation -> matrix.stream().noneMatch(endpoint -> covers(endpoint, operation)))
                .forEach(missing::add));
        assertThat(missing).as("operations without a row in the role matrix").isEmpty();
        assertThat(paths).as("the document lists the API").containsKey("/api/rater/campaigns/{id}/next");
    }

    /** Whether a matrix row calls the operation "METHOD /path/{param}/...". */
    private static boolean covers(Endpoint endpoint, String operation) {
        String[] parts = operation.split(" ", 2);
        String pattern = java.util.regex.Pattern.quote(parts[1]).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
        String path = endpoint.path().replace("{c}", "campaign").split("\\?")[0];
        return endpoint.method().equals(parts[0]) && path.matches(pattern);
    }

    private static int call(RequestSpecification request, Endpoint endpoint, String path) {
        RequestSpecification r = request.contentType(path.endsWith("/import") ? ContentType.TEXT : ContentType.JSON);
        if (endpoint.body() != null) {
            r = r.body(endpoint.body());
        }
        return r.request(endpoint.method(), path).statusCode();
    }
}
