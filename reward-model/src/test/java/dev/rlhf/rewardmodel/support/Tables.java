package dev.rlhf.rewardmodel.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the worker's tables straight from PostgreSQL, as rows of text, for before/after comparisons. */
public final class Tables {

    private Tables() {
    }

    public static List<String> rows(String sql) {
        var server = PostgresResource.server();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             var statement = c.createStatement()) {
            statement.execute("SET search_path TO reward");
            ResultSet rs = statement.executeQuery(sql);
            ResultSetMetaData meta = rs.getMetaData();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static long count(String sql) {
        return Long.parseLong(rows(sql).get(0));
    }
}
