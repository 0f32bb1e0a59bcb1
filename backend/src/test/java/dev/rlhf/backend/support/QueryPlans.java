package dev.rlhf.backend.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What PostgreSQL plans for a statement, read from {@code EXPLAIN (FORMAT JSON)}: nothing is executed. */
public final class QueryPlans {

    private QueryPlans() {
    }

    /** An active pairwise campaign and a rater token. */
    public record RatedCampaign(String campaign, String rater) {
    }

    /**
     * An active campaign of {@code prompts} prompts with two completions each, a rater, and fresh statistics on
     * {@code completion}, so the planner sizes that table as it is now.
     */
    public static RatedCampaign campaignWithAnalysedCompletions(DataSource database, int prompts) throws SQLException {
        String researcher = Api.user("researcher", "researcher");
        String campaign = Api.activeCampaign(researcher, 1, prompts, Api.choiceOnlyForm());
        String rater = Api.user("rater", "rater");
        try (Connection connection = database.getConnection(); Statement analyze = connection.createStatement()) {
            analyze.execute("ANALYZE completion");
        }
        return new RatedCampaign(campaign, rater);
    }

    /**
     * The plan nodes that read {@code table} when {@code sql} runs with these parameters, as their node types
     * ("Index Scan", "Seq Scan", ...). An {@code Integer[]} parameter is bound as an {@code int4} array.
     */
    public static List<String> scansOf(DataSource database, String table, String sql, Object... parameters)
            throws SQLException, java.io.IOException {
        try (Connection connection = database.getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i] instanceof Integer[] ints ? connection.createArrayOf("int4", ints) : parameters[i];
                explain.setObject(i + 1, value);
            }
            try (ResultSet rs = explain.executeQuery()) {
                rs.next();
                List<String> scans = new ArrayList<>();
                collect(new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan"), table, scans);
                return scans;
            }
        }
    }

    private static void collect(JsonNode node, String table, List<String> scans) {
        if (table.equals(node.path("Relation Name").asText())) {
            scans.add(node.get("Node Type").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            collect(child, table, scans);
        }
    }
}
