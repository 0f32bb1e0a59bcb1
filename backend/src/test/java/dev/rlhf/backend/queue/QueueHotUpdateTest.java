package dev.rlhf.backend.queue;

import dev.rlhf.backend.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static dev.rlhf.backend.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submit moves one from the task's live leases to its judgments: the queue's order ({@code load}) stays, and
 * PostgreSQL updates the task row in place (heap-only), adding nothing to its indexes. With the counters in the queue
 * index no counter update was heap-only, and the index's dead entries were what every lease walked past
 * (bench/README.md, ingest).
 */
@QuarkusTest
class QueueHotUpdateTest {

    @Inject
    DataSource database;

    @Test
    void aSubmitUpdatesItsLeasedTaskRowInPlace() throws Exception {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 2, 3, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        String assignment = Api.lease(rater, campaign);
        long before = settledHotUpdatesOfTasks();

        as(rater).body(Map.of("idempotencyKey", "hot-" + UUID.randomUUID(), "choice", "A"))
                .post("/api/rater/assignments/" + assignment + "/judgment").then().statusCode(200);

        // The server's session reports its table statistics when it goes idle, at most 10 s later (see below).
        long after = before;
        for (int i = 0; i < 150 && after == before; i++) {
            Thread.sleep(100);
            after = hotUpdatesOfTasks();
        }
        assertThat(after - before).as("heap-only updates of comparison_task by one submit").isEqualTo(1);
        try (Connection connection = database.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT judgment_count, leased_count, load FROM comparison_task WHERE campaign_id = '" + campaign
                             + "' AND judgment_count > 0")) {
            assertThat(rs.next()).isTrue();
            assertThat(new int[]{rs.getInt(1), rs.getInt(2), rs.getInt(3)}).containsExactly(1, 0, 1);
            assertThat(rs.next()).isFalse();
        }
    }

    /**
     * Waits out statistics that earlier tests' sessions have not reported yet. A session reports at most once a
     * second, and one that goes idle with counts pending reports them up to 10 s later (PostgreSQL's idle
     * interval): the count is settled once it holds still for longer than that.
     */
    private long settledHotUpdatesOfTasks() throws Exception {
        long previous = -1;
        long current = hotUpdatesOfTasks();
        while (current != previous) {
            Thread.sleep(11_000);
            previous = current;
            current = hotUpdatesOfTasks();
        }
        return current;
    }

    private long hotUpdatesOfTasks() throws SQLException {
        try (Connection connection = database.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'comparison_task'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
