package dev.shopstream.schema;

import java.sql.SQLException;
import java.time.Duration;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings an analytics database to the newest schema: the versioned migrations of {@code sql/} at the project's
 * root ({@code V1__create_tables.sql}, {@code V2__...}), which travel in this jar under {@value #LOCATION}.
 * Adding a migration is adding a file there. The job (at start-up), the local stack, the tests, the benchmarks
 * and docker-compose all come through here; no other code creates tables.
 *
 * <p>A database created by the old {@code sql/create_tables.sql} (tables, no Flyway history) is taken as
 * version 1 (baseline) and upgraded in place from there. Flyway's lock (a PostgreSQL advisory lock) makes
 * concurrent migrations of the same database safe: the second waits, then finds nothing to do.
 */
public final class SchemaMigrations {

    /** The analytics database when nothing says otherwise: the job's and the migrator's default POSTGRES_URL. */
    public static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/analytics";

    /** Where the migrations are on the classpath. */
    public static final String LOCATION = "classpath:shopstream/sql";
    /** The version a pre-Flyway database (made by create_tables.sql, which is V1 unchanged) is taken to have. */
    static final String BASELINE_VERSION = "1";
    /** How long to wait between two tries at a database that is still starting. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private SchemaMigrations() {
    }

    /**
     * Migrates, waiting up to {@code patience} for a database that is still starting (a connection refused, or a
     * server that says it is starting), trying again every {@link #RETRY_DELAY}; any other failure, or one after
     * that time, goes to the caller. Returns the schema version.
     */
    public static String migrate(String jdbcUrl, String user, String password, Duration patience) {
        if (patience.compareTo(RETRY_DELAY) <= 0) {
            return migrate(jdbcUrl, user, password);
        }
        RetryPolicy<String> whileUnreachable = RetryPolicy.<String>builder()
                .handleIf((Throwable failure) -> failure instanceof FlywayException && unreachable(failure))
                .withDelay(RETRY_DELAY)
                .withMaxRetries(-1)
                .withMaxDuration(patience)
                .onRetryScheduled(event -> System.err.println("[schema] " + jdbcUrl + " is not reachable yet ("
                        + rootMessage(event.getLastException()) + "); retrying in " + seconds(event.getDelay()) + " s"))
                .build();
        try {
            return Failsafe.with(whileUnreachable).get(() -> migrate(jdbcUrl, user, password));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the database", e.getCause());
            }
            throw e;
        }
    }

    /** Migrates once; returns the schema version the database has afterwards. */
    public static String migrate(String jdbcUrl, String user, String password) {
        MigrateResult result = flyway(jdbcUrl, user, password).migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    static Flyway flyway(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password == null ? "" : password);
        dataSource.setConnectTimeout(10);
        dataSource.setApplicationName("shopstream-schema");
        // This class's loader, not the thread's: under spark-submit the migrations and Flyway's database plugins
        // are in the application jar's loader.
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion(BASELINE_VERSION)
                .baselineDescription("schema of sql/create_tables.sql, before Flyway")
                // No "flyway clean" on an analytics database, ever.
                .cleanDisabled(true)
                .load();
    }

    /** A connection refused, a server still starting, or another transient failure (SqlStates): worth waiting for. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SqlStates.isTransient(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Whole seconds, rounded up: the last wait is cut short to end at the patience's end. */
    private static long seconds(Duration delay) {
        return (delay.toMillis() + 999) / 1000;
    }

    /**
     * {@code java -cp <jar> dev.shopstream.schema.SchemaMigrations JDBC_URL [USER [PASSWORD]]}, else POSTGRES_URL,
     * POSTGRES_USER, POSTGRES_PASSWORD: what docker-compose's one-shot schema service runs.
     */
    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : env("POSTGRES_URL", DEFAULT_URL);
        String user = args.length > 1 ? args[1] : env("POSTGRES_USER", "postgres");
        String password = args.length > 2 ? args[2] : env("POSTGRES_PASSWORD", "postgres");
        String version = migrate(url, user, password, Duration.ofSeconds(60));
        System.out.println("[schema] " + url + " is at version " + version + " of sql/");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
