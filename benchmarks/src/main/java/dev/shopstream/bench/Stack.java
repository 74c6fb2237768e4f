package dev.shopstream.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.PostgresServer;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * What the benchmarks share: one Apache Kafka broker on free ports (each benchmark on fresh topics of its
 * own), PostgreSQL databases of this run's own (dropped at the end), a temporary directory, and every child
 * process, all stopped and removed when the suite ends, also on Ctrl-C.
 */
final class Stack implements AutoCloseable {

    /** Where child processes' output goes when not echoed: nowhere (ManagedProcess keeps the last lines). */
    static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    final ProjectLayout layout;
    final Path workDir;
    final KafkaBrokerProcess broker;
    final boolean verbose;
    /** Extra JVM options for every service and job JVM (--service-jvm=, --job-jvm=), e.g. to profile with JFR. */
    static volatile List<String> extraServiceJvm = List.of();
    static volatile List<String> extraJobJvm = List.of();
    /** Extra job settings (--job-env=KEY=VALUE,...), e.g. MAX_OFFSETS_PER_TRIGGER, for experiments. */
    static volatile Map<String, String> extraJobEnv = Map.of();
    private final Deque<AutoCloseable> cleanup = new ConcurrentLinkedDeque<>();
    private final List<PostgresDatabase> databases = new ArrayList<>();

    private Stack(ProjectLayout layout, Path workDir, KafkaBrokerProcess broker, boolean verbose) {
        this.layout = layout;
        this.workDir = workDir;
        this.broker = broker;
        this.verbose = verbose;
    }

    static Stack start(boolean verbose) {
        ProjectLayout layout = ProjectLayout.locate();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("shopstream-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(layout, KafkaBrokerProcess.freePort(), KafkaBrokerProcess.freePort(),
                workDir.resolve("kafka"), Map.of(), System.out, !verbose);
        Stack stack = new Stack(layout, workDir, broker, verbose);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-cleanup"));
        return stack;
    }

    static List<String> serviceJvm() {
        List<String> jvm = new ArrayList<>(List.of(ProducerBench.SERVICE_HEAP));
        jvm.addAll(extraServiceJvm);
        return jvm;
    }

    static List<String> jobJvm(List<String> more) {
        List<String> jvm = new ArrayList<>(JobRunner.JOB_MEMORY);
        jvm.addAll(more);
        jvm.addAll(extraJobJvm);
        return jvm;
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    PrintStream echo() {
        return verbose ? System.out : DISCARD;
    }

    boolean quiet() {
        return !verbose;
    }

    /** A database of this run's own with the schema; dropped at the end. */
    synchronized PostgresDatabase database(String purpose) {
        // The server the tests use: localhost:5432 unless PGHOST, PGPORT, PGUSER, PGPASSWORD say otherwise, else an
        // embedded one (pgbench, the API's reference, still needs a PostgreSQL installation).
        PostgresDatabase db = PostgresServer.forTests().database("shopstream_bench_" + purpose + "_" + ProcessHandle.current().pid());
        db.recreateWithSchema();
        databases.add(db);
        return db;
    }

    Path dir(String name) {
        Path dir = workDir.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Registers a process to be stopped at the end (if it is still running). */
    ManagedProcess track(ManagedProcess process) {
        cleanup.push(process);
        return process;
    }

    static void stop(ManagedProcess process) {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c; (c = cleanup.poll()) != null; ) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        broker.close();
        for (PostgresDatabase db : databases) {
            db.dropQuietly();
        }
        databases.clear();
        Bench.deleteRecursively(workDir);
    }
}
