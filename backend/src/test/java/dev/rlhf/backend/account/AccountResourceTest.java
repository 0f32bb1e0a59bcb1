package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AccountResourceTest {

    private static String newUsername() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aNullRoleIsRefusedNamingItsPosition() {
        as(Api.admin()).body(Map.of("username", newUsername(), "password", Api.PASSWORD, "roles", Arrays.asList("rater", null)))
                .post("/api/users").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("roles[1]"));
    }

    @Test
    void aJsonNullBodyIsA400ProblemNotA500() {
        String admin = Api.admin();
        as(admin).body("null").post("/api/users").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("input: must not be null"));
        as(admin).body("null").put("/api/users/" + Api.userId(admin)).then().statusCode(400)
                .body("detail", equalTo("update: must not be null"));
    }
}
