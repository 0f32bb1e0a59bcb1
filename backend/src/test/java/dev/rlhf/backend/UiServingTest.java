package dev.rlhf.backend;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class UiServingTest {

    @Test
    void theBuiltAppIsServedAtTheRootAndRevalidatedAfterDeploys() {
        RestAssured.get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", containsString("no-cache"))
                .header("Cache-Control", not(containsString("immutable")))
                .body(containsString("<html"));
    }

    @Test
    void openApiAndHealthArePublic() {
        RestAssured.get("/q/openapi").then().statusCode(200).body(containsString("/api/rater/campaigns/{id}/next"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger-ui"));
    }
}
