package dev.rlhf.backend.activelearning;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.rlhf.backend.prompt.Message;
import dev.rlhf.backend.task.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The database side of active learning: which tasks need the model's opinion, and recording it. */
@ApplicationScoped
class UncertainTasks {

    /** A task still open to raters, with what the reward model needs to score it. */
    record OpenTask(UUID id, List<Message> prompt, List<UUID> completionIds, List<String> completions) {
    }

    private static final String CAMPAIGNS =
            "SELECT id FROM campaign WHERE prefer_uncertain AND status = 'ACTIVE' ORDER BY created_at, id";

    /** Open non-gold tasks the given version has not scored, unscored first; gold tasks keep their own order. */
    private static final String STALE = """
            SELECT t.id, p.messages::text, t.completion_ids::text,
                   (SELECT json_agg((SELECT co.text FROM completion co WHERE co.id = e.id::uuid) ORDER BY e.ord)
                    FROM jsonb_array_elements_text(t.completion_ids) WITH ORDINALITY AS e(id, ord))
            FROM comparison_task t
            JOIN campaign c ON c.id = t.campaign_id
            JOIN prompt p ON p.id = t.prompt_id
            WHERE t.campaign_id = ? AND NOT t.gold AND t.judgment_count < c.overlap
              AND t.certainty_version IS DISTINCT FROM ?
            ORDER BY t.certainty_version NULLS FIRST, t.id
            LIMIT ?""";

    /** Only while the campaign still asks for it: turning the option off clears certainties concurrently. */
    private static final String RECORD = """
            UPDATE comparison_task t SET model_certainty = ?, certainty_version = ?
            FROM campaign c
            WHERE t.id = ? AND c.id = t.campaign_id AND c.prefer_uncertain""";

    private final DataSource dataSource;
    private final JsonColumns columns;

    UncertainTasks(DataSource dataSource, JsonColumns columns) {
        this.dataSource = dataSource;
        this.columns = columns;
    }

    /** Active campaigns that prefer uncertain pairs. */
    List<UUID> campaigns() throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(CAMPAIGNS);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** At most {@code limit} open tasks of the campaign that {@code version} has not scored. */
    List<OpenTask> notScoredBy(UUID campaign, int version, int limit) throws SQLException {
        List<OpenTask> tasks = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(STALE)) {
            statement.setObject(1, campaign);
            statement.setInt(2, version);
            statement.setInt(3, limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new OpenTask(rs.getObject(1, UUID.class), read(rs.getString(2), columns.messages()),
                            read(rs.getString(3), columns.uuids()), read(rs.getString(4), columns.strings())));
                }
            }
        }
        return tasks;
    }

    /** Stores each task's certainty under {@code version}, in one transaction. */
    void record(Map<UUID, Double> certainty, int version) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RECORD)) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<UUID, Double> entry : certainty.entrySet()) {
                    statement.setFloat(1, (float) Math.min(0.5, Math.max(0.0, entry.getValue())));
                    statement.setInt(2, version);
                    statement.setObject(3, entry.getKey());
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static <T> T read(String text, ObjectReader reader) {
        try {
            return reader.readValue(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
