package dev.rlhf.backend.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.backend.campaign.CampaignStatus;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.task.ComparisonTask;
import dev.rlhf.backend.task.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out tasks to raters. Capacity lives on the task row ({@code load}: judgment_count + leased_count, a stored column,
 * against the campaign's overlap), and a lease locks that row with {@code FOR UPDATE SKIP LOCKED}:
 * concurrent raters never share a lease, and PostgreSQL re-checks the counters of a row that changed
 * under a waiting statement, so overlap can never be exceeded.
 */
@ApplicationScoped
public class TaskQueue {

    private final EntityManager em;
    private final DataSource dataSource;
    private final JsonColumns columns;

    TaskQueue(EntityManager em, DataSource dataSource, JsonColumns columns) {
        this.em = em;
        this.dataSource = dataSource;
        this.columns = columns;
    }

    /** How many live leases a rater may hold in one campaign: the task on screen and one prefetched. */
    static final int MAX_HELD = 2;

    /**
     * Leases the next task of a campaign for a rater. Without {@code prefetch} a rater who already holds a
     * lease gets it back (a reload shows the same task); with it, a second lease is taken so the page can
     * show the next pair the moment the current one is submitted. Plain JDBC, each pass one round trip and one
     * transaction (see {@link LeaseStatement}): this is the hottest path of the service.
     */
    public Optional<RaterTask> next(UUID raterId, UUID campaignId, boolean prefetch) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double goldDraw = random.nextDouble();
        Integer[] permutation = shuffledOrder(ComparisonTask.MAX_COMPLETIONS, random);
        LeaseStatement.Outcome outcome;
        try (Connection connection = dataSource.getConnection()) {
            outcome = LeaseStatement.run(connection, true, raterId, campaignId, prefetch, goldDraw, permutation)
                    .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
            if (outcome.assignmentId() == null && outcome.wanted()) {
                // Nothing was written: the first pass found no task it could lock. Ask again, waiting for locks.
                outcome = LeaseStatement.run(connection, false, raterId, campaignId, prefetch, goldDraw, permutation)
                        .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("leasing a task failed: " + e.getMessage(), e);
        }
        if (!CampaignStatus.ACTIVE.name().equals(outcome.status())) {
            throw ProblemException.conflict("campaign " + campaignId + " is " + outcome.status() + ", not ACTIVE");
        }
        return outcome.assignmentId() == null ? Optional.empty() : Optional.of(view(outcome, campaignId));
    }

    private RaterTask view(LeaseStatement.Outcome lease, UUID campaignId) {
        try {
            List<Integer> displayOrder = columns.integers().readValue(lease.displayOrderJson());
            List<String> texts = columns.strings().readValue(lease.completionTextsJson());
            List<RaterTask.ShownCompletion> shown = new ArrayList<>(displayOrder.size());
            for (int position = 0; position < displayOrder.size(); position++) {
                shown.add(new RaterTask.ShownCompletion(Assignment.label(position), texts.get(displayOrder.get(position))));
            }
            return new RaterTask(lease.assignmentId(), campaignId, lease.campaignName(), lease.guidelineVersion(),
                    lease.expiresAt(), new RaterTask.PromptText(columns.messages().readValue(lease.messagesJson())), shown,
                    columns.form().readValue(lease.formJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored task column is not the JSON it should be: " + e.getOriginalMessage(), e);
        }
    }

    private static Integer[] shuffledOrder(int size, ThreadLocalRandom random) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order.toArray(new Integer[0]);
    }

    /** Gives a lease back (the rater closed the page); the task returns to the queue and may come back to them. */
    @Transactional
    public void release(UUID raterId, UUID assignmentId) {
        close(raterId, assignmentId, AssignmentState.RELEASED, null);
    }

    /** Skips a task with a reason; the task returns to the queue for others, never for this rater. */
    @Transactional
    public void skip(UUID raterId, UUID assignmentId, String reason) {
        close(raterId, assignmentId, AssignmentState.SKIPPED, reason);
    }

    private void close(UUID raterId, UUID assignmentId, AssignmentState state, String reason) {
        Assignment assignment = lockOwned(raterId, assignmentId);
        if (assignment.state != AssignmentState.LEASED && assignment.state != AssignmentState.EXPIRED) {
            throw ProblemException.conflict("assignment " + assignmentId + " is already " + assignment.state);
        }
        if (assignment.state == AssignmentState.LEASED) {
            ComparisonTask task = em.find(ComparisonTask.class, assignment.taskId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            task.leasedCount--;
        }
        assignment.state = state;
        assignment.skipReason = reason;
        assignment.closedAt = Instant.now();
    }

    /** The rater's own assignment, locked; another rater's id gives 404 so ids reveal nothing. */
    private Assignment lockOwned(UUID raterId, UUID assignmentId) {
        Assignment assignment = em.find(Assignment.class, assignmentId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (assignment == null || !assignment.raterId.equals(raterId)) {
            throw ProblemException.notFound("assignment", assignmentId);
        }
        return assignment;
    }

    /** Returns expired leases to the queue; answers how many tasks got capacity back. */
    @Transactional
    public int expireLeases() {
        return em.createNativeQuery("""
                        WITH expired AS (
                            UPDATE assignment SET state = 'EXPIRED', closed_at = now()
                            WHERE state = 'LEASED' AND expires_at <= now()
                            RETURNING task_id),
                        per_task AS (SELECT task_id, count(*) AS n FROM expired GROUP BY task_id)
                        UPDATE comparison_task t SET leased_count = t.leased_count - per_task.n
                        FROM per_task WHERE t.id = per_task.task_id""")
                .executeUpdate();
    }
}
