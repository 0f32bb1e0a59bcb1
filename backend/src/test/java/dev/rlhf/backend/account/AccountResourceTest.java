package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class AccountResourceTest {

    /** 36 two-byte characters: exactly the 72 bytes bcrypt reads. */
    private static final String LONGEST_PASSWORD = "é".repeat(36);
    private static final String TOO_LONG_PASSWORD = LONGEST_PASSWORD + "x";

    private static String newUsername() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void passwordsLongerThanBcryptReadsAreRefusedNamingTheByteLimit() {
        String admin = Api.admin();
        as(admin).body(Map.of("username", newUsername(), "password", TOO_LONG_PASSWORD, "roles", List.of("rater")))
                .post("/api/users").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("password"))
                .body("detail", containsString("72 bytes"));

        String username = newUsername();
        String id = as(admin).body(Map.of("username", username, "password", LONGEST_PASSWORD, "roles", List.of("rater")))
                .post("/api/users").then().statusCode(201).extract().path("id");
        Api.login(username, LONGEST_PASSWORD);

        as(admin).body(Map.of("password", TOO_LONG_PASSWORD)).put("/api/users/" + id).then().statusCode(422)
                .body("errors[0].field", equalTo("password"))
                .body("detail", containsString("72 bytes"));
        Api.login(username, LONGEST_PASSWORD);
    }

    @Test
    void aJsonNullBodyIsA400ProblemNotA500() {
        String admin = Api.admin();
        as(admin).body("null").post("/api/users").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("input: must not be null"));
        as(admin).body("null").put("/api/users/" + Api.userId(admin)).then().statusCode(400)
                .body("detail", equalTo("update: must not be null"));
    }

    @Test
    void aNullRoleIsRefusedNamingItsPosition() {
        as(Api.admin()).body(Map.of("username", newUsername(), "password", Api.PASSWORD, "roles", Arrays.asList("rater", null)))
                .post("/api/users").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("roles[1]"));
    }

    @Test
    void concurrentCreatesOfOneUsernameGiveOneAccountAndConflictsNeverA500() throws Exception {
        String admin = Api.admin();
        Map<String, Object> body = Map.of("username", newUsername(), "password", Api.PASSWORD, "roles", List.of("rater"));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Response> replies = new ArrayList<>();
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return as(admin).body(body).post("/api/users");
                }));
            }
            start.countDown();
            for (Future<Response> future : futures) {
                replies.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(replies).extracting(Response::statusCode).containsOnly(201, 409).containsOnlyOnce(201);
        assertThat(replies).filteredOn(r -> r.statusCode() == 409)
                .allSatisfy(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
    }

    @Test
    void aUsernameIsTakenOnceAndRolesMustBeKnown() {
        String admin = Api.admin();
        String username = "dana-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin).body(Map.of("username", username, "displayName", "Dana", "password", Api.PASSWORD, "roles", List.of("rater")))
                .post("/api/users").then().statusCode(201)
                .body("username", equalTo(username)).body("displayName", equalTo("Dana"))
                .body("roles", equalTo(List.of("rater"))).body("enabled", equalTo(true));
        as(admin).body(Map.of("username", username, "password", Api.PASSWORD, "roles", List.of("researcher")))
                .post("/api/users").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("'" + username + "' is taken"));
        as(admin).body(Map.of("username", "erin-" + UUID.randomUUID().toString().substring(0, 8), "password", Api.PASSWORD,
                        "roles", List.of("rater", "overlord")))
                .post("/api/users").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("overlord"));
        as(admin).body(Map.of("username", "has space", "password", Api.PASSWORD, "roles", List.of("rater")))
                .post("/api/users").then().statusCode(422).body("errors.field", hasItem("username"));
        as(admin).body(Map.of("username", "shorty", "password", "seven77", "roles", List.of("rater")))
                .post("/api/users").then().statusCode(422).body("errors.field", hasItem("password"));
    }

    @Test
    void anAccountKeepsAtLeastOneRole() {
        String rater = Api.user("rater", "rater");
        String id = Api.userId(rater);
        as(Api.admin()).body(Map.of("roles", List.of())).put("/api/users/" + id).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("roles"))
                .body("detail", containsString("at least one role"));
        as(rater).get("/api/auth/me").then().statusCode(200).body("roles", equalTo(List.of("rater")));
    }

    @Test
    void anAdminCanNeitherDemoteNorDisableThemself() {
        String admin = Api.admin();
        String self = Api.userId(admin);
        as(admin).body(Map.of("roles", List.of("researcher"))).put("/api/users/" + self).then().statusCode(409)
                .body("detail", containsString("your own admin role"));
        as(admin).body(Map.of("enabled", false)).put("/api/users/" + self).then().statusCode(409)
                .body("detail", containsString("disable your own account"));
        as(admin).delete("/api/users/" + self).then().statusCode(409);
        as(admin).get("/api/auth/me").then().statusCode(200).body("roles", hasItem("admin"));
    }

    @Test
    void aNewPasswordEndsTheUsersSessionsAndReplacesTheOldOne() {
        String rater = Api.user("rater", "rater");
        String id = Api.userId(rater);
        String username = as(rater).get("/api/auth/me").then().extract().path("username");
        as(Api.admin()).body(Map.of("password", "a-new-password")).put("/api/users/" + id).then().statusCode(200);
        as(rater).get("/api/auth/me").then().statusCode(401);
        login(username, Api.PASSWORD).then().statusCode(401);
        login(username, "a-new-password").then().statusCode(200);
    }

    @Test
    void aRoleChangeEndsTheUsersSessionsAndTakesEffectAtTheNextLogin() {
        String user = Api.user("promoted", "rater");
        String id = Api.userId(user);
        String username = as(user).get("/api/auth/me").then().extract().path("username");
        as(user).get("/api/campaigns").then().statusCode(403);
        as(Api.admin()).body(Map.of("roles", List.of("researcher"))).put("/api/users/" + id).then().statusCode(200)
                .body("roles", equalTo(List.of("researcher")));
        as(user).get("/api/campaigns").then().statusCode(401);
        String again = Api.login(username, Api.PASSWORD);
        as(again).get("/api/campaigns").then().statusCode(200);
    }

    @Test
    void aDisabledUserCanBeEnabledAgain() {
        String rater = Api.user("rater", "rater");
        String id = Api.userId(rater);
        String username = as(rater).get("/api/auth/me").then().extract().path("username");
        String admin = Api.admin();
        as(admin).delete("/api/users/" + id).then().statusCode(204);
        login(username, Api.PASSWORD).then().statusCode(401);
        as(admin).body(Map.of("enabled", true)).put("/api/users/" + id).then().statusCode(200).body("enabled", equalTo(true));
        login(username, Api.PASSWORD).then().statusCode(200);
        as(admin).get("/api/users/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    private static Response login(String username, String password) {
        return RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login");
    }
}
