package dev.rlhf.backend.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.judgment.Judgment;
import dev.rlhf.backend.task.JsonColumns;
import dev.rlhf.backend.task.Outcome;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One export of a campaign read from one snapshot: a REPEATABLE READ, READ ONLY transaction on a connection of its own
 * lasts from the counts the headers report to the last line, so a judgment committed while the file streams is in
 * neither and the counts always describe the lines. Lines are read through a cursor, {@link #FETCH} rows at a time.
 * Close it once the body is written: it holds a pooled connection, and its snapshot holds back vacuum meanwhile.
 */
final class ExportSnapshot implements AutoCloseable {

    static final int FETCH = 500;

    /** What a TRL export holds and leaves out; pair counts are rows, the others judgments (see API.md). */
    record TrlCounts(long exportedPairs, long pairwisePreferences, long rankingsExpanded, long skippedTies,
                     long skippedBothBad, long skippedTiedPairs) {
    }

    /** Receives the records in submission order. */
    interface RecordSink {
        void accept(dev.rlhf.events.judgment.Judgment record) throws IOException;
    }

    /**
     * A ranking of n completions holds n(n-1)/2 pairs: those whose ranks are equal are left out (tied pairs), the
     * others each become a row, as {@link TrlPreferences#rows} expands them.
     */
    private static final String TRL_COUNTS = """
            SELECT count(*) FILTER (WHERE j.outcome IN ('A', 'B')),
                   count(*) FILTER (WHERE j.outcome = 'RANKING'),
                   count(*) FILTER (WHERE j.outcome = 'TIE'),
                   count(*) FILTER (WHERE j.outcome = 'BOTH_BAD'),
                   coalesce(sum(jsonb_array_length(j.ranking) * (jsonb_array_length(j.ranking) - 1) / 2 - r.tied)
                            FILTER (WHERE j.outcome = 'RANKING'), 0),
                   coalesce(sum(r.tied) FILTER (WHERE j.outcome = 'RANKING'), 0)
            FROM judgment j
            LEFT JOIN LATERAL (
                SELECT coalesce(sum(same.n * (same.n - 1) / 2), 0) AS tied
                FROM (SELECT count(*) AS n FROM jsonb_array_elements(j.ranking) GROUP BY value) same) r ON true
            WHERE j.campaign_id = ?""";

    private static final String RECORDS = """
            SELECT j.id, j.rater_id, j.guideline_version, j.gold, j.outcome, j.strength, j.ranking::text,
                   j.criteria::text, j.rationale, j.corrected_answer, j.flags::text, j.time_on_task_ms, j.submitted_at,
                   t.id, t.prompt_id, t.gold, t.gold_answer::text, t.completion_ids::text,
                   p.messages::text, p.tags::text, p.source,
            """ + StoredTask.COMPLETIONS + """
            FROM judgment j
            JOIN comparison_task t ON t.id = j.task_id
            JOIN prompt p ON p.id = t.prompt_id
            WHERE j.campaign_id = ?
            ORDER BY j.submitted_at, j.id""";

    private final Connection connection;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final JudgmentRecords records;
    private final UUID campaignId;
    private final String campaignName;
    private final JsonColumns columns;

    private ExportSnapshot(Connection connection, JudgmentRecords records, JsonColumns columns, UUID campaignId,
                           String campaignName) {
        this.connection = connection;
        this.records = records;
        this.columns = columns;
        this.campaignId = campaignId;
        this.campaignName = campaignName;
    }

    /** Begins the snapshot; 404 when the campaign does not exist in it. */
    static ExportSnapshot open(DataSource dataSource, JudgmentRecords records, JsonColumns columns, UUID campaignId) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (Statement begin = connection.createStatement()) {
                begin.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            try (PreparedStatement campaign = connection.prepareStatement("SELECT name FROM campaign WHERE id = ?")) {
                campaign.setObject(1, campaignId);
                try (ResultSet rs = campaign.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("campaign", campaignId);
                    }
                    return new ExportSnapshot(connection, records, columns, campaignId, rs.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            end(connection);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("starting an export failed: " + e.getMessage(), e);
        }
    }

    /** Whether any prompt is more than one user message, so TRL's conversational form is needed. */
    boolean conversational() {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM prompt WHERE campaign_id = ?
                  AND (jsonb_array_length(messages) <> 1 OR messages -> 0 ->> 'role' <> 'user'))""")) {
            query.setObject(1, campaignId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the campaign's prompts failed: " + e.getMessage(), e);
        }
    }

    TrlCounts trlCounts() {
        try (PreparedStatement query = connection.prepareStatement(TRL_COUNTS)) {
            query.setObject(1, campaignId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return new TrlCounts(rs.getLong(1) + rs.getLong(5), rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting the campaign's judgments failed: " + e.getMessage(), e);
        }
    }

    /** Every judgment of the campaign as its record, in submission order; nothing once {@link #abandon}ed. */
    void forEachRecord(RecordSink sink) throws IOException {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        try (PreparedStatement query = connection.prepareStatement(RECORDS)) {
            query.setFetchSize(FETCH);
            query.setObject(1, campaignId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    StoredTask task = new StoredTask(rs.getObject(14, UUID.class), rs.getObject(15, UUID.class),
                            rs.getBoolean(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20),
                            rs.getString(21), rs.getString(22));
                    sink.accept(records.record(campaignId, campaignName, judgment(rs), task));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the campaign's judgments failed: " + e.getMessage(), e);
        }
    }

    private Judgment judgment(ResultSet rs) throws SQLException, JsonProcessingException {
        Judgment judgment = new Judgment();
        judgment.id = rs.getObject(1, UUID.class);
        judgment.campaignId = campaignId;
        judgment.raterId = rs.getObject(2, UUID.class);
        judgment.guidelineVersion = rs.getInt(3);
        judgment.gold = rs.getBoolean(4);
        judgment.outcome = Outcome.valueOf(rs.getString(5));
        judgment.strength = rs.getObject(6, Integer.class);
        judgment.ranking = rs.getString(7) == null ? null : columns.integers().readValue(rs.getString(7));
        judgment.criteria = columns.scores().readValue(rs.getString(8));
        judgment.rationale = rs.getString(9);
        judgment.correctedAnswer = rs.getString(10);
        judgment.flags = columns.flags().readValue(rs.getString(11));
        judgment.timeOnTaskMs = rs.getObject(12, Long.class);
        judgment.submittedAt = rs.getObject(13, OffsetDateTime.class).toInstant();
        return judgment;
    }

    /** Ends the snapshot unless its records are being read: that reader ends it when done (on another thread). */
    void abandon() {
        if (reading.compareAndSet(false, true)) {
            close();
        }
    }

    /** Ends the snapshot; once only, whoever calls first. */
    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            end(connection);
        }
    }

    /** Ends the read-only transaction (nothing to keep) and gives the connection back in auto-commit mode. */
    private static void end(Connection connection) {
        if (connection == null) {
            return;
        }
        try (connection) {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // The connection is closed either way; a failed rollback leaves nothing behind in a read-only transaction.
        }
    }
}
