package dev.shopstream.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The PostgreSQL server the pipeline uses: the one at the configured address when something listens there, else
 * an embedded one ({@link EmbeddedPostgresServer}). The one implementation of that choice, for the local stack
 * and the tests of every module.
 */
public record PostgresServer(String host, int port, String user, String password, Optional<EmbeddedPostgresServer> embedded) {

    private static PostgresServer forTests;

    /** The configured server: nothing is started. */
    public static PostgresServer external(String host, int port, String user, String password) {
        return new PostgresServer(host, port, user, password, Optional.empty());
    }

    /** The configured server when it listens, else the embedded server {@code start} gives. */
    public static PostgresServer listeningOrEmbedded(String host, int port, String user, String password,
                                                     Supplier<EmbeddedPostgresServer> start) {
        return listening(host, port) ? external(host, port, user, password) : embedded(start.get());
    }

    public static PostgresServer embedded(EmbeddedPostgresServer server) {
        return new PostgresServer("localhost", server.port(), EmbeddedPostgresServer.USER, "postgres", Optional.of(server));
    }

    /**
     * The server of this test JVM: localhost:5432 unless PGHOST, PGPORT, PGUSER, PGPASSWORD say otherwise, when
     * something listens there; else one embedded server for the whole JVM, started on first use and stopped at exit.
     */
    public static synchronized PostgresServer forTests() {
        if (forTests == null) {
            String host = env("PGHOST", "localhost");
            int port = Integer.parseInt(env("PGPORT", "5432"));
            forTests = listeningOrEmbedded(host, port, env("PGUSER", "postgres"), env("PGPASSWORD", "postgres"), () -> {
                System.out.printf("[postgres] Nothing listens on %s:%d: starting an embedded PostgreSQL for this JVM%n", host, port);
                return EmbeddedPostgresServer.startThrowaway();
            });
            System.out.println("[postgres] The tests of this JVM use " + forTests.describe());
        }
        return forTests;
    }

    /** True when something accepts connections at the address (a server that then refuses a login still counts). */
    public static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A database on this server. */
    public PostgresDatabase database(String name) {
        return new PostgresDatabase(host, port, name, user, password);
    }

    public String describe() {
        return embedded.map(e -> "the embedded PostgreSQL on " + host + ":" + port + " (data in " + e.dataDir() + ", log " + e.logFile() + ")")
                .orElse("the PostgreSQL server on " + host + ":" + port);
    }

    /** How a person reaches a database of this server (any psql client works). */
    public String psqlCommand(String database) {
        return "psql -h " + host + " -p " + port + " -U " + user + " " + database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
