package dev.rlhf.backend.judgment;

import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.queue.Assignment;
import dev.rlhf.backend.queue.AssignmentState;
import dev.rlhf.backend.queue.TaskQueue;
import dev.rlhf.backend.task.ComparisonTask;
import dev.rlhf.backend.export.JudgmentRecords;
import dev.rlhf.backend.outbox.Outbox;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.events.JudgmentRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Records judgments: exactly once per idempotency key, in canonical order, with the task's counters. */
@ApplicationScoped
public class JudgmentService {

    private final EntityManager em;
    private final TaskQueue queue;
    private final JudgmentRecords records;
    private final Outbox outbox;

    JudgmentService(EntityManager em, TaskQueue queue, JudgmentRecords records, Outbox outbox) {
        this.em = em;
        this.queue = queue;
        this.records = records;
        this.outbox = outbox;
    }

    @Transactional
    public JudgmentReceipt submit(UUID raterId, UUID assignmentId, JudgmentInput input) {
        // Locking the assignment first makes concurrent retries of one submit wait for each other.
        Assignment assignment = queue.lockOwned(raterId, assignmentId);
        Optional<Judgment> stored = Judgment.find("raterId = ?1 and idempotencyKey = ?2",
                raterId, input.idempotencyKey()).firstResultOptional();
        if (stored.isPresent()) {
            if (!stored.get().assignmentId.equals(assignmentId)) {
                throw ProblemException.conflict("idempotency key '" + input.idempotencyKey()
                        + "' was already used for another assignment");
            }
            return JudgmentReceipt.of(stored.get(), true);
        }
        ComparisonTask task = em.find(ComparisonTask.class, assignment.taskId, LockModeType.PESSIMISTIC_WRITE);
        Campaign campaign = Campaigns.find(assignment.campaignId);
        switch (assignment.state) {
            case LEASED -> { }
            case EXPIRED -> {
                if (!task.gold && task.judgmentCount + task.leasedCount >= campaign.overlap) {
                    throw ProblemException.conflict("your lease on this task expired and other raters have taken it");
                }
            }
            case SUBMITTED -> throw ProblemException.conflict("this assignment was already judged with another idempotency key");
            default -> throw ProblemException.conflict("this assignment was " + assignment.state + "; fetch the next task");
        }
        JudgmentRules.CanonicalAnswer answer = JudgmentRules.check(input, campaign.form, assignment);
        if (assignment.state == AssignmentState.LEASED) {
            task.leasedCount--;
        }

        Judgment judgment = new Judgment();
        judgment.id = UUID.randomUUID();
        judgment.assignmentId = assignment.id;
        judgment.taskId = task.id;
        judgment.campaignId = campaign.id;
        judgment.raterId = raterId;
        judgment.guidelineVersion = campaign.guidelineVersion;
        judgment.gold = task.gold;
        judgment.outcome = answer.outcome();
        judgment.strength = answer.strength();
        judgment.ranking = answer.ranking();
        judgment.criteria = input.criteria() == null ? Map.of() : input.criteria();
        judgment.rationale = blankToNull(input.rationale());
        judgment.correctedAnswer = blankToNull(input.correctedAnswer());
        judgment.flags = input.flags() == null || input.flags().isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(input.flags());
        judgment.timeOnTaskMs = input.timeOnTaskMs();
        judgment.idempotencyKey = input.idempotencyKey();
        judgment.submittedAt = Instant.now();
        judgment.persist();

        task.judgmentCount++;
        assignment.state = AssignmentState.SUBMITTED;
        assignment.closedAt = judgment.submittedAt;
        announce(campaign, judgment, task);
        return JudgmentReceipt.of(judgment, false);
    }

    /** The rlhf.judgments event, in the judgment's own transaction: published if and only if it is stored. */
    private void announce(Campaign campaign, Judgment judgment, ComparisonTask task) {
        Map<UUID, Prompt> prompt = Map.of(task.promptId, Prompt.findById(task.promptId));
        Map<UUID, Completion> completions = Completion.<Completion>list("id in ?1", task.completionIds).stream()
                .collect(Collectors.toMap(c -> c.id, Function.identity()));
        outbox.add(JudgmentRecorded.of(records.record(campaign, judgment, task, prompt, completions), judgment.submittedAt));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
