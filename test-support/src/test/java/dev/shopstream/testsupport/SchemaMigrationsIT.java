package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.schema.SchemaMigrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migrations of sql/ through Flyway on the tests' PostgreSQL: an empty database gets every table; a database
 * made by the old sql/create_tables.sql (before Flyway) is taken as version 1, keeps its rows, and is upgraded.
 */
class SchemaMigrationsIT {

    /** The newest migration in sql/: raise it with each new one. */
    static final String LATEST = "7";
    /** Every table the contract names (AnalyticsSchema.TABLES), as the database lists them: by name. */
    private static final List<String> TABLES = AnalyticsSchema.TABLES.stream().sorted().toList();
    private static final String V2 = "2 SQL single query layout true";
    private static final String V3 = "3 SQL audit true";
    private static final String V4 = "4 SQL exact sums bounded rejects quarantine true";
    private static final String V5 = "5 SQL duplicates per partition true";
    private static final String V6 = "6 SQL audit runs true";
    private static final String V7 = "7 SQL batch sums by lineage true";

    @Test
    void shouldCreateEveryTableOnAnEmptyDatabaseOnceOnly() throws SQLException {
        PostgresDatabase db = PostgresDatabase.forTests("stack_migrate_empty").recreateWithSchema();

        assertThat(db.applySchema()).isEqualTo(LATEST);
        assertThat(tables(db)).containsExactlyElementsOf(TABLES);
        assertThat(history(db)).containsExactly("1 SQL create tables true", V2, V3, V4, V5, V6, V7);
    }

    @Test
    void shouldUpgradeADatabaseOfTheOldScriptInPlaceKeepingItsRows() throws Exception {
        PostgresDatabase db = PostgresDatabase.forTests("stack_migrate_baseline");
        db.dropQuietly();
        db.createIfMissing();
        // What sql/create_tables.sql did before Flyway (V1 is that script, unchanged), and a row written then.
        db.execute(resource("shopstream/sql/V1__create_tables.sql"));
        db.execute("INSERT INTO product_view_window (window_start, window_end, product_id, view_count)"
                + " VALUES ('2026-11-25T02:30:00Z', '2026-11-25T02:32:00Z', 'prod_0007', 42)");

        assertThat(db.applySchema()).isEqualTo(LATEST);
        assertThat(db.applySchema()).isEqualTo(LATEST);

        assertThat(history(db)).containsExactly("1 BASELINE schema of sql/create_tables.sql, before Flyway true", V2, V3, V4, V5, V6, V7);
        assertThat(tables(db)).containsExactlyElementsOf(TABLES);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT product_id, view_count FROM product_view_window")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1) + "=" + rows.getLong(2)).isEqualTo("prod_0007=42");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void shouldEmptyEveryTableButTheMigrationHistory() throws SQLException {
        PostgresDatabase db = PostgresDatabase.forTests("stack_migrate_truncate").recreateWithSchema();
        db.execute("INSERT INTO rejected_events (source_topic, source_partition, source_offset, raw_payload, reason)"
                + " VALUES ('user_events', 0, 1, 'x', 'not_json')");

        db.truncateAll();

        assertThat(count(db, "rejected_events")).isZero();
        assertThat(count(db, AnalyticsSchema.MIGRATION_HISTORY)).isEqualTo(Integer.parseInt(LATEST));
    }

    @Test
    void shouldKeepTryingAnUnreachableDatabaseUntilItsPatienceRunsOut() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> SchemaMigrations.migrate("jdbc:postgresql://127.0.0.1:1/analytics", "postgres", "postgres",
                Duration.ofSeconds(3))).isInstanceOf(FlywayException.class);

        // Tried at once, then again after the wait: it gave up only once its patience had run out, not long after.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(20));
    }

    @Test
    void shouldNotWaitOnAFailureOtherThanAnUnreachableDatabase() {
        PostgresDatabase missing = PostgresDatabase.forTests("stack_migrate_missing");
        missing.dropQuietly();
        long start = System.nanoTime();

        assertThatThrownBy(() -> SchemaMigrations.migrate(missing.jdbcUrl(), missing.user(), missing.password(), Duration.ofSeconds(60)))
                .isInstanceOf(FlywayException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    private static List<String> tables(PostgresDatabase db) throws SQLException {
        return strings(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    }

    private static List<String> history(PostgresDatabase db) throws SQLException {
        return strings(db, "SELECT version || ' ' || type || ' ' || description || ' ' || success FROM " + AnalyticsSchema.MIGRATION_HISTORY
                + " ORDER BY installed_rank");
    }

    private static long count(PostgresDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> strings(PostgresDatabase db, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SchemaMigrationsIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
