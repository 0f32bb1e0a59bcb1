package dev.rlhf.rewardmodel.dataset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** Read-only questions about the materialised dataset. */
@ApplicationScoped
public class DatasetQueries {

    private final AgroalDataSource dataSource;

    DatasetQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DatasetSummary summary() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Map<String, Long> byOutcome = new TreeMap<>();
            long judgments = 0;
            try (ResultSet rows = s.executeQuery("SELECT outcome, count(*) FROM judgments GROUP BY outcome")) {
                while (rows.next()) {
                    byOutcome.put(rows.getString(1), rows.getLong(2));
                    judgments += rows.getLong(2);
                }
            }
            Map<String, Long> positions = new TreeMap<>();
            try (ResultSet rows = s.executeQuery("SELECT topic, partition_id, next_offset FROM event_positions "
                    + "WHERE materialisation = '" + PreferenceDataset.MATERIALISATION + "'")) {
                while (rows.next()) {
                    positions.put(rows.getString(1) + "-" + rows.getInt(2), rows.getLong(3));
                }
            }
            return new DatasetSummary(judgments, byOutcome,
                    count(s, "SELECT count(*) FROM judgments WHERE gold"),
                    count(s, "SELECT count(*) FROM judgments WHERE cardinality(flags) > 0"),
                    count(s, "SELECT count(*) FROM prompts"),
                    count(s, "SELECT count(*) FROM completions"),
                    count(s, "SELECT count(*) FROM preference_pairs WHERE origin = 'RATER'"),
                    count(s, "SELECT count(*) FROM preference_pairs WHERE origin = 'RATER' AND kind = 'RANKING'"),
                    count(s, "SELECT count(*) FROM preference_pairs WHERE origin = 'GOLD_ANSWER'"),
                    positions);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the dataset summary failed: " + e.getMessage(), e);
        }
    }

    /** The arrival number of the newest judgment, 0 when there is none. */
    public long latestSeq() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return count(s, "SELECT coalesce(max(seq), 0) FROM judgments");
        } catch (SQLException e) {
            throw new IllegalStateException("reading the newest judgment failed: " + e.getMessage(), e);
        }
    }

    /** Judgments that arrived after arrival number {@code seq}. */
    public long judgmentsAfter(long seq) {
        try (Connection c = dataSource.getConnection();
             var select = c.prepareStatement("SELECT count(*) FROM judgments WHERE seq > ?")) {
            select.setLong(1, seq);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting new judgments failed: " + e.getMessage(), e);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
