package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class AccountResourceTest {

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
                .post("/api/users").then().statusCode(400).body("errors.field", hasItem("username"));
        as(admin).body(Map.of("username", "shorty", "password", "seven77", "roles", List.of("rater")))
                .post("/api/users").then().statusCode(400).body("errors.field", hasItem("password"));
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

    private static io.restassured.response.Response login(String username, String password) {
        return RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login");
    }
}
