package dev.shopstream.analytics.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Applies sql/create_tables.sql (a classpath resource, inside the job jar) at start-up, so the job runs against a
 * fresh database, on a laptop or from spark-submit on a cluster. The script is idempotent.
 */
public final class SchemaInitializer {

    public static final String SCHEMA_RESOURCE = "sql/create_tables.sql";
    private static final Logger LOG = LogManager.getLogger(SchemaInitializer.class);

    private SchemaInitializer() {
    }

    /** Applies the schema, waiting up to {@code patience} for a database that is still starting. */
    public static void apply(JdbcTarget target, Duration patience) {
        String sql = schemaSql();
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
                LOG.info("Schema {} applied to {}", SCHEMA_RESOURCE, target.url());
                return;
            } catch (SQLException e) {
                boolean retry = AnalyticsWriter.isTransient(e) && System.nanoTime() < deadline;
                if (!retry) {
                    throw new IllegalStateException("Cannot apply " + SCHEMA_RESOURCE + " to " + target.url()
                            + " as " + target.user() + ": " + e.getMessage(), e);
                }
                LOG.warn("Database {} not reachable yet ({}); retrying", target.url(), e.getMessage());
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    /** The schema: sql/create_tables.sql, then the migrations after it, in order (each idempotent). */
    public static String schemaSql() {
        StringBuilder sql = new StringBuilder();
        for (String resource : java.util.List.of(SCHEMA_RESOURCE, "sql/V2__single_query_layout.sql")) {
            try (InputStream in = SchemaInitializer.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the classpath");
                }
                sql.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sql.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database", e);
        }
    }
}
