package dev.rlhf.backend.queue;

import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.campaign.CampaignStatus;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.task.ComparisonTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Hands out tasks to raters. Capacity lives on the task row ({@code judgment_count + leased_count}
 * against the campaign's overlap), and a lease locks that row with {@code FOR UPDATE SKIP LOCKED}:
 * concurrent raters never share a lease, and PostgreSQL re-checks the counters of a row that changed
 * under a waiting statement, so overlap can never be exceeded.
 */
@ApplicationScoped
public class TaskQueue {

    /** Fewest judgments first; gold tasks ignore overlap, since every rater's accuracy is measured on them. */
    private static final String PICK = """
            SELECT t.* FROM comparison_task t
            WHERE t.campaign_id = :campaign AND t.gold = :gold
              AND (t.gold OR t.judgment_count + t.leased_count < :overlap)
              AND NOT EXISTS (SELECT 1 FROM assignment a
                              WHERE a.task_id = t.id AND a.rater_id = :rater
                                AND a.state IN ('LEASED', 'SUBMITTED', 'SKIPPED'))
            ORDER BY t.judgment_count, t.id
            LIMIT 1
            FOR UPDATE OF t""";

    private final EntityManager em;

    TaskQueue(EntityManager em) {
        this.em = em;
    }

    /** How many live leases a rater may hold in one campaign: the task on screen and one prefetched. */
    static final int MAX_HELD = 2;

    /**
     * Leases the next task of a campaign for a rater. Without {@code prefetch} a rater who already holds a
     * lease gets it back (a reload shows the same task); with it, a second lease is taken so the page can
     * show the next pair the moment the current one is submitted.
     */
    @Transactional
    public Optional<RaterTask> next(UUID raterId, UUID campaignId, boolean prefetch) {
        Campaign campaign = Campaigns.find(campaignId);
        if (campaign.status != CampaignStatus.ACTIVE) {
            throw ProblemException.conflict("campaign " + campaignId + " is " + campaign.status + ", not ACTIVE");
        }
        // One rater's concurrent calls are serialised, so a double click cannot take two leases.
        em.createNativeQuery("SELECT pg_advisory_xact_lock(:key)")
                .setParameter("key", raterId.getMostSignificantBits() ^ campaignId.getLeastSignificantBits())
                .getSingleResult();
        Instant now = Instant.now();
        List<Assignment> held = Assignment.<Assignment>list(
                "raterId = ?1 and campaignId = ?2 and state = ?3 and expiresAt > ?4 order by leasedAt, id",
                raterId, campaignId, AssignmentState.LEASED, now);
        if (!held.isEmpty() && (!prefetch || held.size() >= MAX_HELD)) {
            return Optional.of(view(held.get(prefetch ? held.size() - 1 : 0), campaign));
        }
        boolean goldFirst = campaign.goldRatio > 0 && ThreadLocalRandom.current().nextDouble() < campaign.goldRatio;
        Optional<ComparisonTask> picked = pick(campaign, raterId, goldFirst);
        if (picked.isEmpty() && campaign.goldRatio > 0) {
            picked = pick(campaign, raterId, !goldFirst);
        }
        if (picked.isEmpty()) {
            return Optional.empty();
        }
        ComparisonTask task = picked.get();
        task.leasedCount++;
        Assignment assignment = new Assignment();
        assignment.id = UUID.randomUUID();
        assignment.taskId = task.id;
        assignment.campaignId = campaignId;
        assignment.raterId = raterId;
        assignment.displayOrder = shuffledOrder(task.completionIds.size());
        assignment.state = AssignmentState.LEASED;
        assignment.leasedAt = now;
        assignment.expiresAt = now.plus(campaign.leaseMinutes, ChronoUnit.MINUTES);
        assignment.persist();
        return Optional.of(view(assignment, campaign, task));
    }

    /**
     * First without waiting (SKIP LOCKED), so concurrent raters spread over different tasks. A task
     * locked by another lease in flight may still have room, though, so an empty answer is confirmed
     * by waiting for those locks before the rater is told nothing is left.
     */
    private Optional<ComparisonTask> pick(Campaign campaign, UUID raterId, boolean gold) {
        Optional<ComparisonTask> task = pick(campaign, raterId, gold, " SKIP LOCKED");
        return task.isPresent() ? task : pick(campaign, raterId, gold, "");
    }

    private Optional<ComparisonTask> pick(Campaign campaign, UUID raterId, boolean gold, String lockMode) {
        @SuppressWarnings("unchecked")
        List<ComparisonTask> tasks = em.createNativeQuery(PICK + lockMode, ComparisonTask.class)
                .setParameter("campaign", campaign.id)
                .setParameter("gold", gold)
                .setParameter("overlap", campaign.overlap)
                .setParameter("rater", raterId)
                .getResultList();
        return tasks.stream().findFirst();
    }

    private static List<Integer> shuffledOrder(int size) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, ThreadLocalRandom.current());
        return List.copyOf(order);
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
    public Assignment lockOwned(UUID raterId, UUID assignmentId) {
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

    private RaterTask view(Assignment assignment, Campaign campaign) {
        return view(assignment, campaign, ComparisonTask.findById(assignment.taskId));
    }

    private RaterTask view(Assignment assignment, Campaign campaign, ComparisonTask task) {
        Prompt prompt = Prompt.findById(task.promptId);
        Map<UUID, Completion> byId = Completion.<Completion>list("id in ?1", task.completionIds).stream()
                .collect(Collectors.toMap(c -> c.id, Function.identity()));
        List<RaterTask.ShownCompletion> shown = new ArrayList<>();
        for (int position = 0; position < task.completionIds.size(); position++) {
            UUID completionId = task.completionIds.get(assignment.canonicalIndex(position));
            shown.add(new RaterTask.ShownCompletion(Assignment.label(position), byId.get(completionId).text));
        }
        return new RaterTask(assignment.id, campaign.id, campaign.name, campaign.guidelineVersion,
                assignment.expiresAt, new RaterTask.PromptText(prompt.messages), shown, campaign.form);
    }
}
