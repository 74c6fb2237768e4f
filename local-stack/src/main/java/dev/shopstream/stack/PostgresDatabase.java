package dev.shopstream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database of the pipeline: created when missing and given the schema of
 * {@code sql/create_tables.sql}, which travels on the classpath as {@code sql/create_tables.sql}.
 */
public record PostgresDatabase(String host, int port, String database, String user, String password) {

    public static final String SCHEMA_RESOURCE = "sql/create_tables.sql";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * A database of a test JVM's own on the server the tests use (localhost:5432 unless PGHOST, PGPORT, PGUSER,
     * PGPASSWORD say otherwise). Its name ends with the process id, so builds running side by side never
     * share one; it is dropped when the JVM exits, unless -Dshopstream.keep-test-databases=true keeps it to look at.
     */
    public static PostgresDatabase forTests(String prefix) {
        PostgresDatabase db = new PostgresDatabase(env("PGHOST", "localhost"), Integer.parseInt(env("PGPORT", "5432")),
                prefix + "_" + ProcessHandle.current().pid(), env("PGUSER", "postgres"), env("PGPASSWORD", "postgres"));
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

    /** Creates the database if it is missing, then applies the schema (idempotent DDL). */
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

    public void applySchema() {
        try {
            execute(schemaSql());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Cannot apply " + SCHEMA_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Empties every table of the schema, keeping the tables. */
    public void truncateAll() {
        execute("TRUNCATE window_totals, product_view_window, category_activity_window, category_revenue_window, rejected_events, stream_progress");
    }

    /** Runs SQL (one or more statements) on this database, in one round trip. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL on " + jdbcUrl() + " failed: " + e.getMessage(), e);
        }
    }

    /** The schema: sql/create_tables.sql, then the migrations after it, in order (each idempotent). */
    public static String schemaSql() {
        StringBuilder sql = new StringBuilder();
        for (String resource : java.util.List.of(SCHEMA_RESOURCE, "sql/V2__single_query_layout.sql")) {
            try (InputStream in = PostgresDatabase.class.getClassLoader().getResourceAsStream(resource)) {
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
