package dev.rlhf.backend.judgment;

import dev.rlhf.backend.export.StoredTask;
import dev.rlhf.backend.outbox.Outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A submit as two plain statements, each its own transaction: one read of everything the checks and the event
 * need, then one write that re-checks what the read saw under row locks and stores judgment, counters,
 * assignment state and outbox row together (so the event exists if and only if the judgment does).
 */
final class JudgmentStatements {

    /**
     * The assignment with its task, campaign, prompt and completions, and any judgment already stored under the key.
     * The guideline version is the one the lease showed the rater (leases older than that column: the campaign's).
     */
    static final String READ = """
            SELECT a.state, a.display_order::text, a.task_id, a.campaign_id,
                   t.gold, t.gold_answer::text, t.completion_ids::text, t.prompt_id,
                   c.name, coalesce(a.guideline_version, c.guideline_version), c.form::text,
                   p.messages::text, p.tags::text, p.source,
            """ + StoredTask.COMPLETIONS + """
                   , j.id, j.assignment_id, j.submitted_at, c.status
            FROM assignment a
            JOIN comparison_task t ON t.id = a.task_id
            JOIN campaign c ON c.id = a.campaign_id
            JOIN prompt p ON p.id = t.prompt_id
            LEFT JOIN judgment j ON j.rater_id = a.rater_id AND j.idempotency_key = ?
            WHERE a.id = ? AND a.rater_id = ?""";

    /**
     * Gates first: the assignment still in the state the read saw ({@code unchanged}, locked), and the task with room
     * ({@code room}, locked; a live lease always has room, an expired one only while the task is not full).
     * Then the judgment, unless the campaign was closed since the read; {@code ON CONFLICT DO NOTHING} turns a
     * concurrent use of the same idempotency key into no row, and every other write hangs off the inserted row, so
     * either all happen or none does. Either refusal stores nothing and the caller's next read tells which it was.
     */
    private static final String WRITE = """
            WITH arg AS (
                SELECT CAST(? AS uuid) AS assignment_id, CAST(? AS text) AS expected_state, CAST(? AS uuid) AS task_id,
                       CAST(? AS boolean) AS was_leased, CAST(? AS uuid) AS judgment_id, CAST(? AS uuid) AS campaign_id,
                       CAST(? AS uuid) AS rater_id, CAST(? AS int) AS guideline_version, CAST(? AS boolean) AS gold,
                       CAST(? AS text) AS outcome, CAST(? AS smallint) AS strength, CAST(? AS jsonb) AS ranking,
                       CAST(? AS jsonb) AS criteria, CAST(? AS text) AS rationale, CAST(? AS text) AS corrected_answer,
                       CAST(? AS jsonb) AS flags, CAST(? AS bigint) AS time_on_task_ms, CAST(? AS text) AS idempotency_key,
                       CAST(? AS timestamptz) AS submitted_at, CAST(? AS uuid) AS event_id, CAST(? AS text) AS topic,
                       CAST(? AS text) AS event_key, CAST(? AS bytea) AS payload),
            unchanged AS (
                SELECT a.id FROM assignment a
                WHERE a.id = (SELECT assignment_id FROM arg) AND a.state = (SELECT expected_state FROM arg)
                FOR UPDATE),
            room AS (
                SELECT t.id, c.status AS campaign_status FROM comparison_task t JOIN campaign c ON c.id = t.campaign_id
                WHERE t.id = (SELECT task_id FROM arg) AND EXISTS (SELECT 1 FROM unchanged)
                  AND ((SELECT was_leased FROM arg) OR t.gold OR t.load < c.overlap)
                FOR UPDATE OF t),
            stored AS (
                INSERT INTO judgment (id, assignment_id, task_id, campaign_id, rater_id, guideline_version, gold, outcome,
                                      strength, ranking, criteria, rationale, corrected_answer, flags, time_on_task_ms,
                                      idempotency_key, submitted_at)
                SELECT arg.judgment_id, arg.assignment_id, room.id, arg.campaign_id, arg.rater_id, arg.guideline_version,
                       arg.gold, arg.outcome, arg.strength, arg.ranking, arg.criteria, arg.rationale, arg.corrected_answer,
                       arg.flags, arg.time_on_task_ms, arg.idempotency_key, arg.submitted_at
                FROM room, arg
                WHERE room.campaign_status <> 'CLOSED'
                ON CONFLICT DO NOTHING
                RETURNING id, task_id, assignment_id),
            counted AS (
                UPDATE comparison_task t SET judgment_count = t.judgment_count + 1,
                                             leased_count = t.leased_count - CASE WHEN arg.was_leased THEN 1 ELSE 0 END
                FROM stored, arg WHERE t.id = stored.task_id),
            closed AS (
                UPDATE assignment a SET state = 'SUBMITTED', closed_at = arg.submitted_at
                FROM stored, arg WHERE a.id = stored.assignment_id),
            announced AS (
                INSERT INTO outbox (event_id, topic, event_key, payload)
                SELECT arg.event_id, arg.topic, arg.event_key, arg.payload FROM stored, arg)
            SELECT EXISTS (SELECT 1 FROM unchanged), EXISTS (SELECT 1 FROM room), EXISTS (SELECT 1 FROM stored)""";

    /** The columns of {@link #READ}; JSON columns as text, parsed by the caller. */
    record Loaded(String state, String displayOrderJson, UUID taskId, UUID campaignId, boolean gold, String goldAnswerJson,
                  String completionIdsJson, UUID promptId, String campaignName, int guidelineVersion, String formJson,
                  String messagesJson, String tagsJson, String source, String completionsJson,
                  UUID storedJudgmentId, UUID storedAssignmentId, Instant storedSubmittedAt, String campaignStatus) {

        StoredTask task() {
            return new StoredTask(taskId, promptId, gold, goldAnswerJson, completionIdsJson, messagesJson, tagsJson,
                    source, completionsJson);
        }
    }

    /** What the write's gates saw; {@code stored} is false when any of them refused. */
    record Written(boolean open, boolean room, boolean stored) {
    }

    /** The judgment's columns, already in canonical order and JSON-encoded where the column is jsonb. */
    record Row(UUID id, UUID assignmentId, String expectedState, UUID taskId, boolean wasLeased, UUID campaignId,
               UUID raterId, int guidelineVersion, boolean gold, String outcome, Integer strength, String rankingJson,
               String criteriaJson, String rationale, String correctedAnswer, String flagsJson, Long timeOnTaskMs,
               String idempotencyKey, Instant submittedAt) {
    }

    private JudgmentStatements() {
    }

    static Optional<Loaded> read(Connection connection, UUID raterId, UUID assignmentId, String idempotencyKey) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setString(1, idempotencyKey);
            read.setObject(2, assignmentId);
            read.setObject(3, raterId);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp stored = rs.getTimestamp(18);
                return Optional.of(new Loaded(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class), rs.getBoolean(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8, UUID.class), rs.getString(9), rs.getInt(10), rs.getString(11), rs.getString(12),
                        rs.getString(13), rs.getString(14), rs.getString(15), rs.getObject(16, UUID.class),
                        rs.getObject(17, UUID.class), stored == null ? null : stored.toInstant(), rs.getString(19)));
            }
        }
    }

    static Written write(Connection connection, Row row, Outbox.Encoded event) throws SQLException {
        try (PreparedStatement write = connection.prepareStatement(WRITE)) {
            int i = 0;
            write.setObject(++i, row.assignmentId());
            write.setString(++i, row.expectedState());
            write.setObject(++i, row.taskId());
            write.setBoolean(++i, row.wasLeased());
            write.setObject(++i, row.id());
            write.setObject(++i, row.campaignId());
            write.setObject(++i, row.raterId());
            write.setInt(++i, row.guidelineVersion());
            write.setBoolean(++i, row.gold());
            write.setString(++i, row.outcome());
            if (row.strength() == null) {
                write.setNull(++i, Types.SMALLINT);
            } else {
                write.setShort(++i, row.strength().shortValue());
            }
            write.setString(++i, row.rankingJson());
            write.setString(++i, row.criteriaJson());
            write.setString(++i, row.rationale());
            write.setString(++i, row.correctedAnswer());
            write.setString(++i, row.flagsJson());
            if (row.timeOnTaskMs() == null) {
                write.setNull(++i, Types.BIGINT);
            } else {
                write.setLong(++i, row.timeOnTaskMs());
            }
            write.setString(++i, row.idempotencyKey());
            // ISO-8601 text: PostgreSQL parses it for less than the driver's OffsetDateTime conversion costs.
            write.setString(++i, row.submittedAt().toString());
            write.setObject(++i, event.eventId());
            write.setString(++i, event.topic());
            write.setString(++i, event.key());
            write.setBytes(++i, event.payload());
            try (ResultSet rs = write.executeQuery()) {
                rs.next();
                return new Written(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3));
            }
        }
    }
}
