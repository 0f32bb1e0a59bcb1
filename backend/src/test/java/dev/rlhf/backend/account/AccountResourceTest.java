package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
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
}
