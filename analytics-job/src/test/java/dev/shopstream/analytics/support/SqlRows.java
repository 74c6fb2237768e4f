package dev.shopstream.analytics.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.shopstream.testsupport.PostgresDatabase;

/** A query's rows as lines of text ("a|b|c", PostgreSQL's text of each value, "null" for none), for exact comparisons. */
public final class SqlRows {

    private SqlRows() {
    }

    public static List<String> of(PostgresDatabase db, String sql) {
        List<String> lines = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    values.add(rs.getString(c));
                }
                lines.add(String.join("|", values));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }
}
