package dev.rlhf.backend.rewardmodel;

import com.sun.net.httpserver.HttpServer;
import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.support.StandInWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.rlhf.backend.support.Api.as;
import static dev.rlhf.backend.support.StandInWorker.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The console's view of the reward-model worker. The worker's own behaviour is tested in its module; here an
 * HTTP server answering as the worker's API does checks what this service adds: the researcher's session in,
 * the worker's token out, the worker's statuses kept, and an unreachable worker as a 503 problem.
 */
@QuarkusTest
@TestProfile(RewardModelResourceTest.WithWorker.class)
class RewardModelResourceTest {

    static final String TOKEN = "worker-token-for-tests";
    static final HttpServer WORKER = worker();
    static final List<String> SEEN_AUTHORIZATION = new CopyOnWriteArrayList<>();
    static volatile boolean training;

    public static class WithWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rlhf.reward-model.url", "http://localhost:" + WORKER.getAddress().getPort() + "/",
                    "rlhf.reward-model.api-token", TOKEN);
        }
    }

    @AfterAll
    static void stopWorker() {
        WORKER.stop(0);
    }

    @Test
    void theVersionTableComesFromTheWorkerWithTheWorkersTokenNotTheResearchers() {
        String researcher = Api.user("rm-researcher", "researcher");
        as(researcher).get("/api/reward-models/versions").then().statusCode(200)
                .body("[0].version", equalTo("v1")).body("[0].metrics.validation_accuracy", equalTo(0.75f));
        assertThat(SEEN_AUTHORIZATION).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
        as(researcher).get("/api/reward-models/versions/v1").then().statusCode(200).body("lineage.judgmentCount", equalTo(12));
    }

    @Test
    void theWorkersProblemsKeepTheirStatusAndDetail() {
        String researcher = Api.user("rm-researcher", "researcher");
        as(researcher).get("/api/reward-models/versions/v9").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("no version v9"));
        training = false;
        as(researcher).post("/api/reward-models/versions").then().statusCode(202).body("version", equalTo("v2"));
        as(researcher).post("/api/reward-models/versions").then().statusCode(409)
                .contentType("application/problem+json").body("detail", equalTo("a run is going"));
        as(researcher).get("/api/reward-models/versions/..%2F..%2Fetc").then().statusCode(400);
    }

    @Test
    void aWorkerThatRefusesOurTokenOrFailsIsA503ProblemNotA500() {
        String researcher = Api.user("rm-researcher", "researcher");
        as(researcher).get("/api/reward-models/dataset").then().statusCode(503)
                .contentType("application/problem+json").body("detail", equalTo("the reward-model worker refused this backend's credentials"));
        as(researcher).get("/api/reward-models/training").then().statusCode(503)
                .contentType("application/problem+json").body("detail", equalTo("the reward-model worker failed (HTTP 500)"));
    }

    @Test
    void ratersCannotSeeTheWorker() {
        as(Api.user("rm-rater", "rater")).get("/api/reward-models/versions").then().statusCode(403);
    }

    private static HttpServer worker() {
        return StandInWorker.start(Map.of("/api/versions", exchange -> {
            SEEN_AUTHORIZATION.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST")) {
                if (training) reply(exchange, 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"a run is going\"}");
                else { training = true; reply(exchange, 202, "{\"version\":\"v2\"}"); }
            } else if (path.equals("/api/versions")) {
                reply(exchange, 200, "[{\"version\":\"v1\",\"metrics\":{\"validation_accuracy\":0.75}}]");
            } else if (path.equals("/api/versions/v1")) {
                reply(exchange, 200, "{\"version\":\"v1\",\"lineage\":{\"judgmentCount\":12}}");
            } else if (path.equals("/api/versions/training")) {
                reply(exchange, 500, "oops");
            } else {
                reply(exchange, 404, "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no version " + path.substring(14) + "\"}");
            }
        }, "/api/dataset", exchange -> reply(exchange, 401, "{\"title\":\"Unauthorized\"}")));
    }
}
