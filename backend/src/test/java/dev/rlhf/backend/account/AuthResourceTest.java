package dev.rlhf.backend.account;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class AuthResourceTest {

    @Test
    void loginSetsAnHttpOnlySessionCookieThatAuthenticates() {
        Response login = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/auth/login");
        login.then().statusCode(200).body("user.username", equalTo("admin"))
                .body("user.roles", hasItems("admin", "researcher"));
        String setCookie = login.getHeader("Set-Cookie");
        assertThat(setCookie).contains("rlhf_session=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");

        RestAssured.given().cookie("rlhf_session", login.getCookie("rlhf_session"))
                .get("/api/auth/me").then().statusCode(200).body("username", equalTo("admin"));
    }

    @Test
    void wrongPasswordIsA401ProblemWithoutDetailsOfWhichPartWasWrong() {
        RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "not-the-password"))
                .post("/api/auth/login").then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", containsString("unknown username, wrong password"));
        RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "nobody-at-all", "password", "whatever-password"))
                .post("/api/auth/login").then().statusCode(401);
    }

    @Test
    void logoutRevokesTheToken() {
        String token = Api.admin();
        as(token).get("/api/auth/me").then().statusCode(200);
        as(token).post("/api/auth/logout").then().statusCode(204);
        as(token).get("/api/auth/me").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void disablingAUserEndsTheirSessionsAndBlocksLogin() {
        String rater = Api.user("rater", "rater");
        String id = Api.userId(rater);
        String username = as(rater).get("/api/auth/me").then().extract().path("username");
        as(Api.admin()).delete("/api/users/" + id).then().statusCode(204);
        as(rater).get("/api/auth/me").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/api/auth/login").then().statusCode(401);
        as(Api.admin()).get("/api/users/" + id).then().statusCode(200).body("enabled", equalTo(false));
    }

    @Test
    void aCookieWhoseSessionEndedNeitherAuthenticatesNorBlocksLoggingInAndOut() {
        Map<String, String> credentials = Map.of("username", "admin", "password", Api.ADMIN_PASSWORD);
        String stale = RestAssured.given().contentType(ContentType.JSON).body(credentials)
                .post("/api/auth/login").then().statusCode(200).extract().cookie("rlhf_session");
        RestAssured.given().cookie("rlhf_session", stale).post("/api/auth/logout").then().statusCode(204);

        // The browser still sends the cookie of the ended session.
        RestAssured.given().cookie("rlhf_session", stale).get("/api/auth/me").then().statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given().cookie("rlhf_session", stale).post("/api/auth/logout").then().statusCode(204)
                .header("Set-Cookie", containsString("Max-Age=0"));
        String fresh = RestAssured.given().cookie("rlhf_session", stale).contentType(ContentType.JSON).body(credentials)
                .post("/api/auth/login").then().statusCode(200).extract().cookie("rlhf_session");
        assertThat(fresh).isNotEqualTo(stale);
        RestAssured.given().cookie("rlhf_session", fresh).get("/api/auth/me").then().statusCode(200)
                .body("username", equalTo("admin"));
    }

    @Test
    void anUnknownOrGarbageTokenIsA401() {
        as("garbage-token").get("/api/auth/me").then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void loginValidatesItsBody() {
        RestAssured.given().contentType(ContentType.JSON).body("{\"username\": \"\"}")
                .post("/api/auth/login").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("username", "password"));
        RestAssured.given().contentType(ContentType.JSON).body("{not json")
                .post("/api/auth/login").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsAnsweredLikeAWrongOne() {
        String tooLong = "é".repeat(37); // 74 bytes in UTF-8; bcrypt reads at most 72
        for (String username : new String[] {"admin", "nobody-at-all"}) {
            RestAssured.given().contentType(ContentType.JSON)
                    .body(Map.of("username", username, "password", tooLong))
                    .post("/api/auth/login").then().statusCode(401).contentType("application/problem+json")
                    .body("detail", equalTo("unknown username, wrong password, or disabled account"));
        }
    }

    @Test
    void aJsonNullBodyIsA400ProblemNotA500() {
        RestAssured.given().contentType(ContentType.JSON).body("null")
                .post("/api/auth/login").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request: must not be null"));
    }

    @Test
    void aNulCharacterInTheUsernameIsRefusedWhileReadingTheBody() {
        RestAssured.given().contentType(ContentType.JSON).body("{\"username\": \"ad\\u0000min\", \"password\": \"whatever-password\"}")
                .post("/api/auth/login").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("username: must not contain the NUL character (\\u0000)"));
    }
}
