package dev.rlhf.rewardmodel.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.model.OffsetRange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads a {@link DatasetSnapshot}: positions, judgments and pairs as one consistent state. */
@ApplicationScoped
public class SnapshotReader {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    SnapshotReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DatasetSnapshot read() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                List<OffsetRange> offsets = new ArrayList<>();
                try (ResultSet rows = s.executeQuery("SELECT topic, partition_id, next_offset FROM event_positions "
                        + "WHERE materialisation = '" + PreferenceDataset.MATERIALISATION + "' ORDER BY topic, partition_id")) {
                    while (rows.next()) {
                        offsets.add(new OffsetRange(rows.getString(1), rows.getInt(2), 0, rows.getLong(3)));
                    }
                }
                List<UUID> judgmentIds = new ArrayList<>();
                long latestSeq = 0;
                try (ResultSet rows = s.executeQuery("SELECT judgment_id, seq FROM judgments ORDER BY judgment_id")) {
                    while (rows.next()) {
                        judgmentIds.add(rows.getObject(1, UUID.class));
                        latestSeq = Math.max(latestSeq, rows.getLong(2));
                    }
                }
                Map<String, String> prompts = new HashMap<>();
                try (ResultSet rows = s.executeQuery("SELECT prompt_id, messages FROM prompts")) {
                    while (rows.next()) {
                        prompts.put(rows.getString(1), PromptFormat.render(json.readTree(rows.getString(2))));
                    }
                }
                List<LabelledPair> rater = new ArrayList<>();
                List<LabelledPair> gold = new ArrayList<>();
                try (ResultSet rows = s.executeQuery("""
                        SELECT p.judgment_id, j.prompt_id, j.rater_id, p.chosen_id, c.text, p.rejected_id, r.text,
                               p.strength, p.kind, p.origin, j.gold, j.flags
                        FROM preference_pairs p
                        JOIN judgments j ON j.judgment_id = p.judgment_id
                        JOIN completions c ON c.completion_id = p.chosen_id
                        JOIN completions r ON r.completion_id = p.rejected_id
                        ORDER BY j.seq, p.origin, p.chosen_id, p.rejected_id""")) {
                    while (rows.next()) {
                        short value = rows.getShort(8);
                        Integer strength = rows.wasNull() ? null : (int) value;
                        LabelledPair pair = new LabelledPair(rows.getObject(1, UUID.class), rows.getString(2),
                                rows.getString(3), prompts.get(rows.getString(2)), rows.getObject(4, UUID.class),
                                rows.getString(5), rows.getObject(6, UUID.class), rows.getString(7),
                                strength, PairKind.valueOf(rows.getString(9)),
                                PairOrigin.valueOf(rows.getString(10)), rows.getBoolean(11),
                                Arrays.asList((String[]) rows.getArray(12).getArray()));
                        (pair.origin() == PairOrigin.GOLD_ANSWER ? gold : rater).add(pair);
                    }
                }
                c.commit();
                return new DatasetSnapshot(judgmentIds, rater, gold, latestSeq, offsets);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading the training snapshot failed: " + e.getMessage(), e);
        }
    }
}
