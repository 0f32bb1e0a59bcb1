package dev.rlhf.rewardmodel.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.consume.ConsumedEvent;
import dev.rlhf.events.consume.JdbcMaterialiser;
import dev.rlhf.events.judgment.Completion;
import dev.rlhf.events.judgment.Judgment;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * The judgment stream materialised as a preference dataset in schema {@code reward}: prompts,
 * completions, one row per judgment and the preference pairs its verdict expands to
 * ({@link PairExpansion}). Every insert is keyed by an id of the event's content and skips rows that
 * exist, so a redelivered or replayed event changes nothing; the consumer's positions are stored in
 * the same transaction ({@link JdbcMaterialiser}).
 */
public final class PreferenceDataset extends JdbcMaterialiser<JudgmentRecorded> {

    /** This materialisation's name in {@code event_positions}. */
    public static final String MATERIALISATION = "reward-model.preference-dataset";

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();

    public PreferenceDataset(DataSource dataSource) {
        super(dataSource, MATERIALISATION);
    }

    @Override
    protected void insert(Connection connection, List<ConsumedEvent<JudgmentRecorded>> batch) throws SQLException {
        try (PreparedStatement prompts = connection.prepareStatement(
                "INSERT INTO prompts (prompt_id, messages) VALUES (?, ?::jsonb) ON CONFLICT DO NOTHING");
             PreparedStatement completions = connection.prepareStatement(
                     "INSERT INTO completions (completion_id, prompt_id, text) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement judgments = connection.prepareStatement("""
                     INSERT INTO judgments (event_id, judgment_id, task_id, campaign_id, rater_id, prompt_id, outcome,
                         strength, gold, flags, guideline_version, submitted_at, source_topic, source_partition,
                         source_offset, event)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                     ON CONFLICT DO NOTHING""");
             PreparedStatement pairs = connection.prepareStatement("""
                     INSERT INTO preference_pairs (judgment_id, origin, chosen_id, rejected_id, strength, kind)
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (ConsumedEvent<JudgmentRecorded> consumed : batch) {
                JudgmentRecorded event = consumed.event();
                Judgment j = event.payload();
                String promptId = PromptKey.of(j.prompt().messages());
                prompts.setString(1, promptId);
                prompts.setString(2, toJson(j.prompt().messages()));
                prompts.addBatch();
                for (Completion c : j.completions()) {
                    completions.setObject(1, c.completionId());
                    completions.setString(2, promptId);
                    completions.setString(3, c.text());
                    completions.addBatch();
                }
                addJudgment(judgments, consumed, promptId, connection);
                for (PreferencePair pair : PairExpansion.of(j)) {
                    pairs.setObject(1, j.judgmentId());
                    pairs.setString(2, pair.origin().name());
                    pairs.setObject(3, pair.chosen());
                    pairs.setObject(4, pair.rejected());
                    if (pair.strength() == null) {
                        pairs.setNull(5, Types.SMALLINT);
                    } else {
                        pairs.setShort(5, pair.strength().shortValue());
                    }
                    pairs.setString(6, pair.kind().name());
                    pairs.addBatch();
                }
            }
            // Parents before children: the foreign keys are checked per statement.
            prompts.executeBatch();
            completions.executeBatch();
            judgments.executeBatch();
            pairs.executeBatch();
        }
    }

    private void addJudgment(PreparedStatement insert, ConsumedEvent<JudgmentRecorded> consumed, String promptId,
                             Connection connection) throws SQLException {
        JudgmentRecorded event = consumed.event();
        Judgment j = event.payload();
        insert.setObject(1, event.id());
        insert.setObject(2, j.judgmentId());
        insert.setObject(3, j.taskId());
        insert.setObject(4, j.campaignId());
        insert.setString(5, j.raterId());
        insert.setString(6, promptId);
        insert.setString(7, j.outcome().name());
        if (j.strength() == null) {
            insert.setNull(8, Types.SMALLINT);
        } else {
            insert.setShort(8, j.strength().shortValue());
        }
        insert.setBoolean(9, j.gold());
        insert.setArray(10, connection.createArrayOf("text", j.flags().stream().map(Enum::name).toArray()));
        insert.setInt(11, j.guidelineVersion());
        insert.setTimestamp(12, Timestamp.from(j.submittedAt()));
        insert.setString(13, consumed.partition().topic());
        insert.setInt(14, consumed.partition().partition());
        insert.setLong(15, consumed.offset());
        insert.setString(16, new String(codec.encode(event), StandardCharsets.UTF_8));
        insert.addBatch();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("prompt messages cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    protected void deleteAll(Connection connection) throws SQLException {
        try (Statement delete = connection.createStatement()) {
            // Children first; the cascade would do it, but one statement per table is cheaper to reason about.
            delete.execute("DELETE FROM preference_pairs");
            delete.execute("DELETE FROM judgments");
            delete.execute("DELETE FROM completions");
            delete.execute("DELETE FROM prompts");
        }
    }
}
