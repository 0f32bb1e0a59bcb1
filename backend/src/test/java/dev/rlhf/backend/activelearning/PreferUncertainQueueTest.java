package dev.rlhf.backend.activelearning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.support.Api;
import dev.rlhf.backend.support.StandInWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static dev.rlhf.backend.support.Api.as;
import static dev.rlhf.backend.support.StandInWorker.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

/**
 * The campaign option "prefer uncertain pairs": the backend asks the reward-model worker how sure its latest
 * version is about each open task and serves the least certain first. The worker is played by an HTTP server
 * that answers as its API does (the real endpoint is tested with a real model in the reward-model module):
 * its reward for a completion is the number after {@code score=} in the text, so the expected certainty
 * |σ(r_A - r_B) - 0.5| of every task, and the order raters must see, are known here.
 */
@QuarkusTest
@TestProfile(PreferUncertainQueueTest.WithWorker.class)
class PreferUncertainQueueTest {

    static final String TOKEN = "active-learning-test-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpServer WORKER = worker();
    /** Every pair id the worker was asked about, in order. */
    static final List<String> ASKED = new CopyOnWriteArrayList<>();
    static volatile int latestVersion = 3;
    static volatile boolean failing;

    public static class WithWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rlhf.reward-model.url", "http://localhost:" + WORKER.getAddress().getPort(),
                    "rlhf.reward-model.api-token", TOKEN,
                    "rlhf.active-learning.refresh-interval", "off",
                    "rlhf.active-learning.pairs-per-call", "4");
        }
    }

    @Inject
    CertaintyRefresher refresher;

    @AfterAll
    static void stopWorker() {
        WORKER.stop(0);
    }

    /** Score gaps of the pairwise prompts, out of order; the 3-way task's closest pair is 0.05 apart. */
    static final double[] GAPS = {2.0, 0.1, 1.0, 0.4, 3.0, 0.2, 0.7, 1.5};

    @Test
    void ratersAreServedTheLeastCertainTasksFirstAndEachVersionScoresATaskOnce() throws Exception {
        String researcher = Api.user("al-researcher", "researcher");
        String campaign = campaign(researcher, true);
        String plain = campaign(researcher, false);
        as(researcher).get("/api/campaigns/" + campaign).then().statusCode(200).body("preferUncertain", equalTo(true));
        as(researcher).get("/api/campaigns/" + plain).then().statusCode(200).body("preferUncertain", equalTo(false));

        ASKED.clear();
        latestVersion = 3;
        CertaintyRefresher.Round first = refresher.refresh();
        assertThat(first.version()).isEqualTo(3);
        assertThat(ASKED).hasSize(GAPS.length + 3); // 8 pairs, and the 3 pairs of the 3-way task
        Set<String> askedTasks = ASKED.stream().map(id -> id.substring(0, 36)).collect(Collectors.toSet());
        assertThat(askedTasks).containsExactlyInAnyOrderElementsOf(taskIds(researcher, campaign));

        Map<String, Double> expected = expectedCertainty(researcher, campaign);
        for (JsonPath task : tasks(researcher, campaign)) {
            assertThat(task.getInt("certaintyVersion")).isEqualTo(3);
            assertThat(task.getDouble("modelCertainty")).as("task %s", task.getString("id"))
                    .isCloseTo(expected.get(task.getString("id")), within(1e-6));
        }
        for (JsonPath task : tasks(researcher, plain)) {
            assertThat(task.get("modelCertainty") == null && task.get("certaintyVersion") == null).isTrue();
        }

        ASKED.clear();
        assertThat(refresher.refresh().tasksScored()).isZero();
        assertThat(ASKED).as("nothing new to score under the same version").isEmpty();
        latestVersion = 4;
        refresher.refresh();
        assertThat(ASKED).hasSize(GAPS.length + 3);
        assertThat(tasks(researcher, campaign)).allSatisfy(t -> assertThat(t.getInt("certaintyVersion")).isEqualTo(4));

        String rater = Api.user("al-rater", "rater");
        List<String> served = judgeAll(rater, campaign);
        List<String> byCertainty = new ArrayList<>(List.of("rank the three"));
        double[] sorted = GAPS.clone();
        java.util.Arrays.sort(sorted);
        for (double gap : sorted) {
            byCertainty.add("question with gap " + gap);
        }
        assertThat(served).containsExactlyElementsOf(byCertainty);

        List<String> plainOrder = judgeAll(Api.user("al-rater", "rater"), plain);
        assertThat(plainOrder).hasSize(byCertainty.size()).isNotEqualTo(byCertainty);
        close(researcher, campaign);
        close(researcher, plain);
    }

    @Test
    void turningTheOptionOffClearsTheCertaintiesAndAFailingWorkerLeavesTheQueueServing() throws Exception {
        String researcher = Api.user("al-researcher", "researcher");
        String campaign = campaign(researcher, true);
        latestVersion = 5;
        refresher.refresh();
        assertThat(tasks(researcher, campaign)).allSatisfy(t -> assertThat(t.getInt("certaintyVersion")).isEqualTo(5));

        latestVersion = 6;
        failing = true;
        try {
            assertThatThrownBy(refresher::refresh).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503));
        } finally {
            failing = false;
        }
        assertThat(tasks(researcher, campaign)).as("the last certainties are kept")
                .allSatisfy(t -> assertThat(t.getInt("certaintyVersion")).isEqualTo(5));
        String rater = Api.user("al-rater", "rater");
        as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200)
                .body("prompt.messages[0].content", equalTo("rank the three"));

        Map<String, Object> input = input(nameOf(researcher, campaign), false);
        as(researcher).body(input).put("/api/campaigns/" + campaign).then().statusCode(200)
                .body("preferUncertain", equalTo(false));
        assertThat(tasks(researcher, campaign)).allSatisfy(t -> {
            assertThat((Object) t.get("modelCertainty")).isNull();
            assertThat((Object) t.get("certaintyVersion")).isNull();
        });
        ASKED.clear();
        latestVersion = 7;
        refresher.refresh();
        assertThat(ASKED).as("a campaign without the option is never scored").isEmpty();
        close(researcher, campaign);
    }

    /** An active campaign: one pairwise task per gap, and a 3-way ranking. */
    private static String campaign(String researcher, boolean preferUncertain) {
        String id = as(researcher).body(input("al campaign " + UUID.randomUUID(), preferUncertain))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        StringBuilder jsonl = new StringBuilder();
        for (double gap : GAPS) {
            jsonl.append("{\"prompt\": \"question with gap ").append(gap).append("\", \"completions\": [")
                    .append("{\"text\": \"score=0\"}, {\"text\": \"score=").append(gap).append("\"}]}\n");
        }
        Api.importJsonl(researcher, id, jsonl.toString()).then().statusCode(200);
        as(researcher).body(Map.of("strategy", "ALL_PAIRS", "seed", 7))
                .post("/api/campaigns/" + id + "/tasks/generate").then().statusCode(200).body("created", equalTo(GAPS.length));
        Api.importJsonl(researcher, id, "{\"prompt\": \"rank the three\", \"completions\": [{\"text\": \"score=0\"}, "
                + "{\"text\": \"score=5\"}, {\"text\": \"score=5.05\"}]}\n").then().statusCode(200);
        List<String> three = as(researcher).get("/api/campaigns/" + id + "/prompts?q=rank").then().statusCode(200)
                .extract().path("[0].completions.id");
        as(researcher).body(Map.of("completionIds", three)).post("/api/campaigns/" + id + "/tasks").then().statusCode(201);
        Api.activate(researcher, id);
        return id;
    }

    private static Map<String, Object> input(String name, boolean preferUncertain) {
        Map<String, Object> input = new HashMap<>(Api.campaignInput(name, 1, 0.0, Api.choiceOnlyForm()));
        input.put("preferUncertain", preferUncertain);
        return input;
    }

    private static String nameOf(String researcher, String id) {
        return as(researcher).get("/api/campaigns/" + id).then().statusCode(200).extract().path("name");
    }

    private static void close(String researcher, String id) {
        as(researcher).body(Map.of("status", "CLOSED")).put("/api/campaigns/" + id + "/status").then().statusCode(200);
    }

    private static List<JsonPath> tasks(String researcher, String campaign) {
        List<Map<String, Object>> rows = as(researcher).get("/api/campaigns/" + campaign + "/tasks").then()
                .statusCode(200).extract().path("$");
        return rows.stream().map(row -> new JsonPath(toJson(row))).toList();
    }

    private static List<String> taskIds(String researcher, String campaign) {
        return tasks(researcher, campaign).stream().map(t -> t.getString("id")).toList();
    }

    /** |σ(Δ) - 0.5| per task from the texts, minimised over an N-way task's pairs: computed here, not asked. */
    private static Map<String, Double> expectedCertainty(String researcher, String campaign) {
        List<Map<String, Object>> prompts = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then()
                .statusCode(200).extract().path("$");
        Map<String, Double> scoreOfCompletion = new HashMap<>();
        for (Map<String, Object> prompt : prompts) {
            for (Object c : (List<?>) prompt.get("completions")) {
                Map<?, ?> completion = (Map<?, ?>) c;
                scoreOfCompletion.put((String) completion.get("id"), score((String) completion.get("text")));
            }
        }
        Map<String, Double> expected = new HashMap<>();
        for (JsonPath task : tasks(researcher, campaign)) {
            List<String> ids = task.getList("completionIds");
            double least = 0.5;
            for (int a = 0; a < ids.size(); a++) {
                for (int b = a + 1; b < ids.size(); b++) {
                    least = Math.min(least, certainty(scoreOfCompletion.get(ids.get(a)), scoreOfCompletion.get(ids.get(b))));
                }
            }
            expected.put(task.getString("id"), least);
        }
        return expected;
    }

    /** Takes and judges tasks until the queue is empty; returns the first message of each, in serving order. */
    private static List<String> judgeAll(String rater, String campaign) {
        List<String> served = new ArrayList<>();
        while (true) {
            var next = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
            if (next.statusCode() == 204) {
                return served;
            }
            assertThat(next.statusCode()).isEqualTo(200);
            served.add(next.path("prompt.messages[0].content"));
            String assignment = next.path("assignmentId");
            int shown = next.path("completions.size()");
            Map<String, Object> judgment = shown == 2
                    ? Map.of("idempotencyKey", UUID.randomUUID().toString(), "choice", "A")
                    : Map.of("idempotencyKey", UUID.randomUUID().toString(), "ranking", Map.of("A", 1, "B", 2, "C", 3));
            as(rater).body(judgment).post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);
        }
    }

    private static double score(String text) {
        return Double.parseDouble(text.substring(text.indexOf("score=") + 6));
    }

    private static double certainty(double a, double b) {
        return Math.abs(1 / (1 + Math.exp(-(a - b))) - 0.5);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpServer worker() {
        return StandInWorker.start(Map.of("/api/versions", exchange -> {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            reply(exchange, 200, "[{\"modelId\":\"rm\",\"version\":1},{\"modelId\":\"rm\",\"version\":" + latestVersion + "}]");
        }, "/api/active-learning", exchange -> {
            if (failing) {
                reply(exchange, 500, "broken");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (request.path("version").asInt() != latestVersion || request.path("pairs").size() > 4) {
                reply(exchange, 400, "{\"title\":\"Bad request\",\"status\":400,\"detail\":\"unexpected request\"}");
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("modelId", "rm").put("version", latestVersion);
            ArrayNode pairs = answer.putArray("pairs");
            for (JsonNode pair : request.path("pairs")) {
                ASKED.add(pair.path("pairId").asText());
                double a = score(pair.path("a").path("text").asText()), b = score(pair.path("b").path("text").asText());
                pairs.addObject().put("pairId", pair.path("pairId").asText()).put("rewardA", a).put("rewardB", b)
                        .put("probabilityA", 1 / (1 + Math.exp(-(a - b)))).put("certainty", certainty(a, b));
            }
            reply(exchange, 200, JSON.writeValueAsString(answer));
        }));
    }
}
