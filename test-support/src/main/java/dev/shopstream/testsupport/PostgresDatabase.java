package dev.shopstream.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.schema.SchemaMigrations;

/**
 * A PostgreSQL database of the pipeline: created when missing and brought to the newest schema by the
 * migrations of {@code sql/} ({@link SchemaMigrations}).
 */
public record PostgresDatabase(String host, int port, String database, String user, String password) {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Flyway logs every step through java.util.logging here: only its warnings are worth a line on the console. */
    private static final java.util.logging.Logger FLYWAY_LOG = quiet(java.util.logging.Logger.getLogger("org.flywaydb"));
    /** Flyway's record of the migrations applied: never emptied. */
    private static final String MIGRATION_HISTORY = AnalyticsSchema.MIGRATION_HISTORY;

    /**
     * A database of a test JVM's own on the server the tests use ({@link PostgresServer#forTests()}: the one on
     * localhost:5432 or PGHOST:PGPORT, else an embedded one). Its name ends with the process id, so builds running
     * side by side never share one; it is dropped when the JVM exits, unless -Dshopstream.keep-test-databases=true
     * keeps it to look at.
     */
    public static PostgresDatabase forTests(String prefix) {
        PostgresDatabase db = PostgresServer.forTests().database(prefix + "_" + ProcessHandle.current().pid());
        if (!Boolean.getBoolean("shopstream.keep-test-databases")) {
            Runtime.getRuntime().addShutdownHook(new Thread(db::dropQuietly, "drop-" + db.database()));
        }
        return db;
    }

    /** Drops the database, ending its sessions; a failure is only reported (it runs at JVM exit). */
    public void dropQuietly() {
        requireSafeName();
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + database + ": " + e.getMessage());
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive client (Quarkus's quarkus.datasource.reactive.url). */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public Connection connect() throws SQLException {
        return connect(database);
    }

    /** True when the server answers a login on its maintenance database. */
    public boolean serverAnswers() {
        try (Connection ignored = connect("postgres")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates the database if it is missing, then applies the migrations it does not have yet. */
    public PostgresDatabase ensureWithSchema() {
        createIfMissing();
        applySchema();
        return this;
    }

    /** Drops and recreates the database: a clean slate for a test class. */
    public PostgresDatabase recreateWithSchema() {
        requireSafeName();
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot recreate database " + database + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        applySchema();
        return this;
    }

    public void createIfMissing() {
        requireSafeName();
        try (Connection admin = connect("postgres");
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by someone else: fine
            }
            throw new IllegalStateException("Cannot create database " + database + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Applies the migrations of sql/ this database does not have yet; returns its schema version. */
    public String applySchema() {
        try {
            return SchemaMigrations.migrate(jdbcUrl(), user, password);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot migrate " + jdbcUrl() + " to the schema of sql/: " + e.getMessage(), e);
        }
    }

    /** Empties every table of the schema (whatever the migrations created), keeping the tables and their history. */
    public void truncateAll() {
        execute("DO $$ DECLARE tables text; BEGIN"
                + " SELECT string_agg(format('%I', tablename), ', ') INTO tables FROM pg_tables"
                + " WHERE schemaname = current_schema() AND tablename <> '" + MIGRATION_HISTORY + "';"
                + " IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables; END IF; END $$");
    }

    /** Runs SQL (one or more statements) on this database, in one round trip. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL on " + jdbcUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private Connection connect(String databaseName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + databaseName, props);
    }

    private void requireSafeName() {
        if (!SAFE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Database name '" + database + "' must be lower-case letters, digits and _");
        }
    }
}
