package dev.rlhf.backend.queue;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class TaskQueueTest {

    @Inject
    TaskQueue queue;

    @Inject
    EntityManager em;

    private static Map<String, Object> judgeA(String key) {
        return Map.of("idempotencyKey", key, "choice", "A");
    }

    @Test
    void withOverlapThreeAndFiveRatersEveryTaskEndsWithExactlyThreeJudgmentsFromDistinctRaters() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 3, 12, Api.choiceOnlyForm());
        List<String> raters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            raters.add(Api.user("rater", "rater"));
        }
        Map<String, Integer> perRater = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String rater : raters) {
                var response = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
                if (response.statusCode() == 204) {
                    continue;
                }
                assertThat(response.statusCode()).isEqualTo(200);
                String assignment = response.path("assignmentId");
                as(rater).body(judgeA(UUID.randomUUID().toString()))
                        .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);
                perRater.merge(rater, 1, Integer::sum);
                progress = true;
            }
        }
        List<Object[]> perTask = countsPerTask(UUID.fromString(campaign));
        assertThat(perTask).hasSize(12);
        for (Object[] row : perTask) {
            assertThat(((Number) row[1]).intValue()).as("judgments of task %s", row[0]).isEqualTo(3);
            assertThat(((Number) row[2]).intValue()).as("distinct raters of task %s", row[0]).isEqualTo(3);
            assertThat(((Number) row[3]).intValue()).as("counter of task %s", row[0]).isEqualTo(3);
        }
        assertThat(perRater.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(36);
        assertThat(perRater.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(12));
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> countsPerTask(UUID campaign) {
        return em.createNativeQuery("""
                        SELECT t.id, count(j.id), count(DISTINCT j.rater_id), max(t.judgment_count)
                        FROM comparison_task t LEFT JOIN judgment j ON j.task_id = t.id
                        WHERE t.campaign_id = :c GROUP BY t.id""")
                .setParameter("c", campaign).getResultList();
    }

    @Test
    void everyLeaseTakesATaskWithTheFewestJudgmentsTheRaterMayTake() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 3, 10, Api.choiceOnlyForm());
        UUID campaignId = UUID.fromString(campaign);
        List<String> raters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            raters.add(Api.user("rater", "rater"));
        }
        // Uneven progress: the first rater judges 7 tasks, the second 4, the third 2; then everyone goes on in turn.
        int[] firstRounds = {7, 4, 2, 0};
        int leases = 0;
        for (int r = 0; r < raters.size(); r++) {
            for (int i = 0; i < firstRounds[r]; i++) {
                leaseAndCheck(raters.get(r), campaignId);
                leases++;
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String rater : raters) {
                if (leaseAndCheck(rater, campaignId)) {
                    leases++;
                    progress = true;
                }
            }
        }
        assertThat(leases).isEqualTo(30);
    }

    /** Leases and judges one task; checks it had the fewest judgments among the tasks this rater had not judged. */
    private boolean leaseAndCheck(String rater, UUID campaign) {
        UUID raterId = UUID.fromString(Api.userId(rater));
        Integer fewest = fewestJudgmentsOpenTo(raterId, campaign);
        var response = as(rater).post("/api/rater/campaigns/" + campaign + "/next");
        if (response.statusCode() == 204) {
            assertThat(fewest).as("a task was open to the rater, yet none was leased").isNull();
            return false;
        }
        String assignment = response.then().statusCode(200).extract().path("assignmentId");
        assertThat(judgmentsOfLeasedTask(UUID.fromString(assignment))).as("judgments of the leased task").isEqualTo(fewest);
        as(rater).body(judgeA(UUID.randomUUID().toString())).post("/api/rater/assignments/" + assignment + "/judgment")
                .then().statusCode(200);
        return true;
    }

    @Transactional
    Integer fewestJudgmentsOpenTo(UUID rater, UUID campaign) {
        Object fewest = em.createNativeQuery("""
                        SELECT min(t.judgment_count) FROM comparison_task t JOIN campaign c ON c.id = t.campaign_id
                        WHERE t.campaign_id = :c AND t.load < c.overlap
                          AND NOT EXISTS (SELECT 1 FROM judgment j WHERE j.task_id = t.id AND j.rater_id = :r)""")
                .setParameter("c", campaign).setParameter("r", rater).getSingleResult();
        return fewest == null ? null : ((Number) fewest).intValue();
    }

    @Transactional
    int judgmentsOfLeasedTask(UUID assignment) {
        return ((Number) em.createNativeQuery("""
                        SELECT t.judgment_count FROM assignment a JOIN comparison_task t ON t.id = a.task_id WHERE a.id = :a""")
                .setParameter("a", assignment).getSingleResult()).intValue();
    }

    @Test
    void nextReturnsTheLeaseTheRaterAlreadyHolds() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 3, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String first = Api.lease(rater, campaign);
        String again = Api.lease(rater, campaign);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void prefetchTakesASecondLeaseButNeverAThird() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 4, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String next = "/api/rater/campaigns/" + campaign + "/next";
        String current = as(rater).post(next).then().statusCode(200).extract().path("assignmentId");
        String prefetched = as(rater).post(next + "?prefetch=true").then().statusCode(200).extract().path("assignmentId");
        assertThat(prefetched).isNotEqualTo(current);
        assertThat(as(rater).post(next + "?prefetch=true").then().statusCode(200).extract().<String>path("assignmentId"))
                .isEqualTo(prefetched);
        assertThat(as(rater).post(next).then().statusCode(200).extract().<String>path("assignmentId")).isEqualTo(current);
        as(rater).body(judgeA(UUID.randomUUID().toString())).post("/api/rater/assignments/" + current + "/judgment")
                .then().statusCode(200);
        // After the submit the prefetched task is the one on screen.
        assertThat(as(rater).post(next).then().statusCode(200).extract().<String>path("assignmentId")).isEqualTo(prefetched);
    }

    @Test
    void expiredLeasesReturnToTheQueue() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        String slow = Api.user("rater", "rater");
        String other = Api.user("rater", "rater");
        String lease = Api.lease(slow, campaign);
        as(other).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(204);

        backdate(UUID.fromString(lease));
        queue.expireLeases();

        String taken = Api.lease(other, campaign);
        assertThat(taken).isNotEqualTo(lease);
        // The slow rater's late submit is refused: the task has no room left.
        as(slow).body(judgeA(UUID.randomUUID().toString())).post("/api/rater/assignments/" + lease + "/judgment")
                .then().statusCode(409).contentType("application/problem+json");
        as(other).body(judgeA(UUID.randomUUID().toString())).post("/api/rater/assignments/" + taken + "/judgment")
                .then().statusCode(200);
    }

    @Test
    void aLateSubmitIsAcceptedWhileTheTaskStillHasRoom() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 1, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String lease = Api.lease(rater, campaign);
        backdate(UUID.fromString(lease));
        queue.expireLeases();
        as(rater).body(judgeA(UUID.randomUUID().toString())).post("/api/rater/assignments/" + lease + "/judgment")
                .then().statusCode(200);
        assertThat(countsPerTask(UUID.fromString(campaign)).get(0)[3]).isEqualTo(1);
    }

    @Transactional
    void backdate(UUID assignment) {
        em.createNativeQuery("UPDATE assignment SET expires_at = now() - interval '1 minute' WHERE id = :id")
                .setParameter("id", assignment).executeUpdate();
    }

    @Test
    void twentyConcurrentRatersNeverShareALeaseNorExceedOverlap() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 15, Api.choiceOnlyForm());
        List<String> raters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            raters.add(Api.user("rater", "rater"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (String rater : raters) {
                Callable<Integer> call = () -> {
                    start.await();
                    return as(rater).post("/api/rater/campaigns/" + campaign + "/next").statusCode();
                };
                statuses.add(pool.submit(call));
            }
            start.countDown();
            int leased = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get();
                assertThat(code).isIn(200, 204);
                leased += code == 200 ? 1 : 0;
            }
            assertThat(leased).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        List<Object[]> leases = leasesPerTask(UUID.fromString(campaign));
        Set<String> tasks = new HashSet<>();
        int total = 0;
        for (Object[] row : leases) {
            tasks.add(row[0].toString());
            assertThat(((Number) row[1]).intValue()).as("live leases of one task").isLessThanOrEqualTo(2);
            assertThat(((Number) row[2]).intValue()).as("counter matches live leases").isEqualTo(((Number) row[1]).intValue());
            total += ((Number) row[1]).intValue();
        }
        assertThat(total).isEqualTo(20);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> leasesPerTask(UUID campaign) {
        return em.createNativeQuery("""
                        SELECT t.id, count(a.id), max(t.leased_count)
                        FROM comparison_task t JOIN assignment a ON a.task_id = t.id AND a.state = 'LEASED'
                        WHERE t.campaign_id = :c GROUP BY t.id""")
                .setParameter("c", campaign).getResultList();
    }

    @Test
    void aSkippedTaskNeverComesBackToThatRaterButGoesToOthers() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        String skipper = Api.user("rater", "rater");
        String other = Api.user("rater", "rater");
        String lease = Api.lease(skipper, campaign);
        for (String reason : List.of(" ", "x".repeat(501))) {
            as(skipper).body(Map.of("reason", reason)).post("/api/rater/assignments/" + lease + "/skip").then().statusCode(422)
                    .contentType("application/problem+json");
        }
        as(skipper).body(Map.of("reason", "  I cannot read this language "))
                .post("/api/rater/assignments/" + lease + "/skip").then().statusCode(204);
        assertThat(skipReason(UUID.fromString(lease))).isEqualTo("I cannot read this language");
        as(skipper).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(204);
        as(other).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200);
    }

    @Transactional
    String skipReason(UUID assignment) {
        return (String) em.createNativeQuery("SELECT skip_reason FROM assignment WHERE id = :id AND state = 'SKIPPED'")
                .setParameter("id", assignment).getSingleResult();
    }

    @Test
    void aReleasedTaskReturnsToTheQueue() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String other = Api.user("rater", "rater");
        String lease = Api.lease(rater, campaign);
        as(other).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(204);
        as(rater).post("/api/rater/assignments/" + lease + "/release").then().statusCode(204);
        as(other).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200);
        as(rater).post("/api/rater/assignments/" + lease + "/release").then().statusCode(409);
    }

    @Test
    void goldItemsAreMixedInAtTheCampaignsRatioAndIgnoreOverlap() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        // One gold task on the first prompt's completions.
        List<String> completions = as(researcher).get("/api/campaigns/" + campaign + "/prompts")
                .then().statusCode(200).extract().path("[0].completions.id");
        as(researcher).body(Map.of("completionIds", completions, "gold", Map.of("choice", "A")))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        Map<String, Object> edit = new HashMap<>(Api.campaignInput("mixed campaign", 1, 1.0, Api.choiceOnlyForm()));
        as(researcher).body(edit).put("/api/campaigns/" + campaign).then().statusCode(200);
        // With ratio 1 every rater's first task is the gold one, even though overlap is 1.
        for (int i = 0; i < 3; i++) {
            String rater = Api.user("rater", "rater");
            var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200).extract();
            assertThat(task.<List<String>>path("completions.text")).containsExactlyInAnyOrder("first answer 0", "second answer 0");
            assertThat(task.asString()).doesNotContain("gold");
        }
    }

    @Test
    void goldIsDrawnAtAPartialRatio() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 1, Api.choiceOnlyForm());
        List<String> completions = as(researcher).get("/api/campaigns/" + campaign + "/prompts")
                .then().statusCode(200).extract().path("[0].completions.id");
        as(researcher).body(Map.of("completionIds", List.of(completions.get(1), completions.get(0)), "gold", Map.of("choice", "B")))
                .post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        as(researcher).body(Api.campaignInput("a quarter gold", 1, 0.25, Api.choiceOnlyForm()))
                .put("/api/campaigns/" + campaign).then().statusCode(200);
        // Each lease is released, so both tasks are open to the rater again at every draw.
        String rater = Api.user("rater", "rater");
        int gold = 0;
        for (int i = 0; i < 200; i++) {
            String lease = Api.lease(rater, campaign);
            gold += isGold(UUID.fromString(lease)) ? 1 : 0;
            as(rater).post("/api/rater/assignments/" + lease + "/release").then().statusCode(204);
        }
        // Binomial(200, 0.25): mean 50, standard deviation 6.1; the bounds are four deviations out
        // (a false failure about once in 15,000 runs). Gold never served, or served first always, fails.
        assertThat(gold).isBetween(25, 75);
    }

    @Transactional
    boolean isGold(UUID assignment) {
        return (Boolean) em.createNativeQuery(
                        "SELECT t.gold FROM assignment a JOIN comparison_task t ON t.id = a.task_id WHERE a.id = :id")
                .setParameter("id", assignment).getSingleResult();
    }

    @Test
    void everyLeaseShowsItsOwnRandomOrderAndRecordsTheOrderItShowed() {
        String researcher = Api.user("researcher", "researcher");
        String campaign = as(researcher).body(Api.campaignInput("display order " + UUID.randomUUID(), 1, 0.0, Api.choiceOnlyForm()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Api.importJsonl(researcher, campaign,
                "{\"prompt\": \"p\", \"completions\": [{\"text\": \"one\"}, {\"text\": \"two\"}, {\"text\": \"three\"}]}\n")
                .then().statusCode(200);
        List<String> ids = as(researcher).get("/api/campaigns/" + campaign + "/prompts").then().extract().path("[0].completions.id");
        as(researcher).body(Map.of("completionIds", ids)).post("/api/campaigns/" + campaign + "/tasks").then().statusCode(201);
        Api.activate(researcher, campaign);

        // One rater leases and releases: every lease is a new assignment with an order of its own.
        String rater = Api.user("rater", "rater");
        Set<List<Integer>> orders = new HashSet<>();
        for (int i = 0; i < 90; i++) {
            var task = as(rater).post("/api/rater/campaigns/" + campaign + "/next").then().statusCode(200).extract();
            List<String> shown = task.path("completions.text");
            Object[] recorded = recordedOrder(UUID.fromString(task.path("assignmentId")));
            List<Integer> order = io.restassured.path.json.JsonPath.from((String) recorded[0]).getList("$", Integer.class);
            List<String> canonical = io.restassured.path.json.JsonPath.from((String) recorded[1]).getList("$", String.class);
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2);
            for (int position = 0; position < shown.size(); position++) {
                assertThat(shown.get(position)).as("position " + position).isEqualTo(canonical.get(order.get(position)));
            }
            orders.add(order);
            as(rater).post("/api/rater/assignments/" + task.path("assignmentId") + "/release").then().statusCode(204);
        }
        // All 6 orders of 3 in 90 uniform draws: one is missing with probability under 1e-6.
        assertThat(orders).hasSize(6);
    }

    /** The assignment's display order and its task's completion texts in canonical order, both as JSON. */
    @Transactional
    Object[] recordedOrder(UUID assignment) {
        return (Object[]) em.createNativeQuery("""
                        SELECT a.display_order::text,
                               (SELECT json_agg(c.text ORDER BY e.ord)
                                FROM jsonb_array_elements_text(t.completion_ids) WITH ORDINALITY AS e(id, ord)
                                JOIN completion c ON c.id = e.id::uuid)::text
                        FROM assignment a JOIN comparison_task t ON t.id = a.task_id WHERE a.id = :id""")
                .setParameter("id", assignment).getSingleResult();
    }
}
