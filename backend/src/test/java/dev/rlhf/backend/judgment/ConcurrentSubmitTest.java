package dev.rlhf.backend.judgment;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/** Races on the submit path: the same idempotency key sent many times at once stores one judgment and one event. */
@QuarkusTest
class ConcurrentSubmitTest {

    @Inject
    DataSource dataSource;

    @Test
    void tenSimultaneousRetriesOfOneSubmitStoreOneJudgmentAndOneOutboxRow() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 2, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        Map<String, Object> body = Map.of("idempotencyKey", "retry-" + UUID.randomUUID(), "choice", "A");

        List<Response> replies = all(10, () -> as(rater).body(body).post("/api/rater/assignments/" + assignment + "/judgment"));

        assertThat(replies).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(replies.stream().map(r -> r.<String>path("judgmentId")).distinct()).hasSize(1);
        assertThat(replies.stream().filter(r -> !r.<Boolean>path("replayed"))).hasSize(1);
        assertThat(replies.stream().map(r -> r.<String>path("submittedAt")).distinct()).hasSize(1);
        assertThat(count("SELECT count(*) FROM judgment WHERE campaign_id = ?", campaign)).isEqualTo(1);
        assertThat(count("""
                SELECT count(*) FROM outbox WHERE event_key IN (SELECT task_id::text FROM judgment WHERE campaign_id = ?)""",
                campaign)).isEqualTo(1);
        assertThat(count("SELECT sum(judgment_count) + sum(leased_count) FROM comparison_task WHERE campaign_id = ?", campaign))
                .isEqualTo(1);
    }

    @Test
    void oneKeySentForTwoAssignmentsAtOnceStoresOneJudgmentAndRefusesTheOther() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 4, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String next = "/api/rater/campaigns/" + campaign + "/next";
        String first = as(rater).post(next).then().statusCode(200).extract().path("assignmentId");
        String second = as(rater).post(next + "?prefetch=true").then().statusCode(200).extract().path("assignmentId");
        Map<String, Object> body = Map.of("idempotencyKey", "shared-" + UUID.randomUUID(), "choice", "B");

        List<Response> replies = all(2, List.of(
                () -> as(rater).body(body).post("/api/rater/assignments/" + first + "/judgment"),
                () -> as(rater).body(body).post("/api/rater/assignments/" + second + "/judgment")));

        assertThat(replies.stream().map(Response::statusCode).sorted().toList()).containsExactly(200, 409);
        assertThat(replies.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow().contentType())
                .startsWith("application/problem+json");
        assertThat(count("SELECT count(*) FROM judgment WHERE campaign_id = ?", campaign)).isEqualTo(1);
        assertThat(count("""
                SELECT count(*) FROM outbox WHERE event_key IN (SELECT id::text FROM comparison_task WHERE campaign_id = ?)""",
                campaign)).isEqualTo(1);
        // The refused assignment is still a live lease: the counters hold one judgment and one lease.
        assertThat(count("SELECT sum(judgment_count) FROM comparison_task WHERE campaign_id = ?", campaign)).isEqualTo(1);
        assertThat(count("SELECT sum(leased_count) FROM comparison_task WHERE campaign_id = ?", campaign)).isEqualTo(1);
    }

    @Test
    void aRatersSimultaneousNextCallsGetOneLease() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, 10, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");

        List<Response> replies = all(10, () -> as(rater).post("/api/rater/campaigns/" + campaign + "/next"));

        assertThat(replies).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(replies.stream().map(r -> r.<String>path("assignmentId")).distinct()).hasSize(1);
        assertThat(count("SELECT count(*) FROM assignment WHERE campaign_id = ? AND state = 'LEASED'", campaign)).isEqualTo(1);
        assertThat(count("SELECT sum(leased_count) FROM comparison_task WHERE campaign_id = ?", campaign)).isEqualTo(1);
    }

    private static List<Response> all(int times, Callable<Response> call) throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            calls.add(call);
        }
        return all(times, calls);
    }

    /** Runs the calls at the same moment and returns their responses. */
    private static List<Response> all(int threads, List<Callable<Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private long count(String sql, String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(campaign));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
