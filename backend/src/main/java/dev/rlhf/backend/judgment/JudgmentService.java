package dev.rlhf.backend.judgment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.campaign.CampaignStatus;
import dev.rlhf.backend.campaign.JudgmentForm;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.export.JudgmentRecords;
import dev.rlhf.backend.outbox.Outbox;
import dev.rlhf.backend.queue.Assignment;
import dev.rlhf.backend.queue.AssignmentState;
import dev.rlhf.backend.task.JsonColumns;
import dev.rlhf.events.JudgmentRecorded;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records judgments: exactly once per idempotency key, in canonical order, with the task's counters and the
 * {@code rlhf.judgments} event in the same transaction. Plain JDBC ({@link JudgmentStatements}): the submit is
 * the hottest write of the service.
 */
@ApplicationScoped
public class JudgmentService {

    /** Reads that went stale before the write (a sweep or a concurrent retry changed the assignment) are redone. */
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final JudgmentRecords records;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final JsonColumns columns;

    JudgmentService(DataSource dataSource, JudgmentRecords records, Outbox outbox, ObjectMapper json, JsonColumns columns) {
        this.dataSource = dataSource;
        this.records = records;
        this.outbox = outbox;
        this.json = json;
        this.columns = columns;
    }

    public JudgmentReceipt submit(UUID raterId, UUID assignmentId, JudgmentInput input) {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 1; ; attempt++) {
                Optional<JudgmentReceipt> receipt = attempt(connection, raterId, assignmentId, input);
                if (receipt.isPresent()) {
                    return receipt.get();
                }
                if (attempt == ATTEMPTS) {
                    throw ProblemException.conflict("assignment " + assignmentId + " kept changing while it was judged; retry");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a judgment failed: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored column is not the JSON it should be: " + e.getOriginalMessage(), e);
        }
    }

    /** One read, checks, one write; empty when the write's gates saw a change since the read. */
    private Optional<JudgmentReceipt> attempt(Connection connection, UUID raterId, UUID assignmentId, JudgmentInput input)
            throws SQLException, JsonProcessingException {
        JudgmentStatements.Loaded loaded = JudgmentStatements.read(connection, raterId, assignmentId, input.idempotencyKey())
                .orElseThrow(() -> ProblemException.notFound("assignment", assignmentId));
        if (loaded.storedJudgmentId() != null) {
            if (!loaded.storedAssignmentId().equals(assignmentId)) {
                throw ProblemException.conflict("idempotency key '" + input.idempotencyKey()
                        + "' was already used for another assignment");
            }
            return Optional.of(new JudgmentReceipt(loaded.storedJudgmentId(), assignmentId, loaded.storedSubmittedAt(), true));
        }
        if (CampaignStatus.CLOSED.name().equals(loaded.campaignStatus())) {
            throw ProblemException.conflict("campaign " + loaded.campaignId() + " is closed and takes no more judgments");
        }
        AssignmentState state = AssignmentState.valueOf(loaded.state());
        switch (state) {
            case LEASED, EXPIRED -> { }
            case SUBMITTED -> throw ProblemException.conflict("this assignment was already judged with another idempotency key");
            default -> throw ProblemException.conflict("this assignment was " + state + "; fetch the next task");
        }
        Assignment assignment = new Assignment();
        assignment.id = assignmentId;
        assignment.displayOrder = columns.integers().readValue(loaded.displayOrderJson());
        JudgmentRules.CanonicalAnswer answer = JudgmentRules.check(input, columns.form().<JudgmentForm>readValue(loaded.formJson()), assignment);

        Judgment judgment = judgment(raterId, assignmentId, loaded, answer, input);
        Outbox.Encoded event = outbox.encode(JudgmentRecorded.of(
                records.record(loaded.campaignId(), loaded.campaignName(), judgment, loaded.task()), judgment.submittedAt));
        JudgmentStatements.Written written = JudgmentStatements.write(connection, new JudgmentStatements.Row(
                judgment.id, assignmentId, state.name(), loaded.taskId(), state == AssignmentState.LEASED,
                loaded.campaignId(), raterId, judgment.guidelineVersion, judgment.gold, judgment.outcome.name(),
                judgment.strength, judgment.ranking == null ? null : json.writeValueAsString(judgment.ranking),
                json.writeValueAsString(judgment.criteria), judgment.rationale, judgment.correctedAnswer,
                json.writeValueAsString(judgment.flags), judgment.timeOnTaskMs, judgment.idempotencyKey,
                judgment.submittedAt), event);
        if (written.stored()) {
            return Optional.of(new JudgmentReceipt(judgment.id, assignmentId, judgment.submittedAt, false));
        }
        if (written.open() && !written.room()) {
            throw ProblemException.conflict("your lease on this task expired and other raters have taken it");
        }
        // The assignment changed since the read, the key was stored concurrently or the campaign was closed: the next
        // read tells which.
        return Optional.empty();
    }

    private static Judgment judgment(UUID raterId, UUID assignmentId, JudgmentStatements.Loaded loaded,
                                     JudgmentRules.CanonicalAnswer answer, JudgmentInput input) {
        Judgment judgment = new Judgment();
        judgment.id = UUID.randomUUID();
        judgment.assignmentId = assignmentId;
        judgment.taskId = loaded.taskId();
        judgment.campaignId = loaded.campaignId();
        judgment.raterId = raterId;
        judgment.guidelineVersion = loaded.guidelineVersion();
        judgment.gold = loaded.gold();
        judgment.outcome = answer.outcome();
        judgment.strength = answer.strength();
        judgment.ranking = answer.ranking();
        judgment.criteria = input.criteria() == null ? Map.of() : input.criteria();
        judgment.rationale = blankToNull(input.rationale());
        judgment.correctedAnswer = blankToNull(input.correctedAnswer());
        judgment.flags = input.flags() == null || input.flags().isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(input.flags());
        judgment.timeOnTaskMs = input.timeOnTaskMs();
        judgment.idempotencyKey = input.idempotencyKey();
        // PostgreSQL keeps microseconds: the receipt of a retry must equal the first one.
        judgment.submittedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return judgment;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
