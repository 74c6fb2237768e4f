package dev.shopstream.stack;

import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.EmbeddedPostgresServer;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.KafkaCluster;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.PostgresServer;
import dev.shopstream.testsupport.ProducerServiceProcess;
import dev.shopstream.testsupport.ProjectLayout;
import dev.shopstream.testsupport.SparkStandaloneCluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.shopstream.contract.EventContract;

/**
 * The whole pipeline on one machine, from one command: PostgreSQL (the server on localhost:5432, or an embedded
 * one when none answers there),
 * Apache Kafka's broker in KRaft mode, the Spark analytics job in local mode and the producer service. With
 * {@code --cluster}: a three-node Kafka cluster, a Spark standalone master with two workers, and the job
 * submitted to them with Spark's own SparkSubmit.
 * State (broker log, job checkpoints) lives in .local-stack/ so that a restart resumes where it stopped.
 * Ctrl-C stops everything, in reverse order.
 */
public final class LocalStack {

    private static final PrintStream OUT = System.out;
    private static final String TOPIC = EventContract.TOPIC;
    /** On the cluster: more partitions than executor cores, so a batch's work spreads over both workers. */
    private static final int CLUSTER_PARTITIONS = 6;
    private final StackOptions options;
    private final ProjectLayout layout;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final AtomicReference<ManagedProcess> job = new AtomicReference<>();
    /** The database the job and the service use, once PostgreSQL is up. */
    private PostgresDatabase database;
    private volatile boolean stopping;
    private volatile SparkStandaloneCluster spark;

    private LocalStack(StackOptions options, ProjectLayout layout) {
        this.options = options;
        this.layout = layout;
    }

    public static void main(String[] args) throws Exception {
        if (Stream.of(args).anyMatch(a -> a.equals("-h") || a.equals("--help"))) {
            OUT.println(StackOptions.USAGE);
            return;
        }
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(StackOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options, ProjectLayout.locate());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("The local stack could not start: " + e.getMessage());
            System.exit(1);
        }
        Thread.currentThread().join(); // until Ctrl-C
    }

    private void start() throws IOException {
        long begin = System.nanoTime();
        Path state = stateDir();
        if (!options.listen().loopback()) {
            step("Listening on " + options.listen().address() + ", not only on this machine: the service, Kafka (PLAINTEXT, no "
                    + "authentication), the embedded PostgreSQL and the Spark web UIs are reachable from the network"
                    + (controlToken() ? "." : "; PUT /producer/rate is open to it (set PRODUCER_CONTROL_TOKEN)."));
        }
        if (options.fresh()) {
            step("Starting fresh: removing " + state);
            deleteRecursively(state);
        }
        Files.createDirectories(state.resolve("tmp"));
        // Every port is checked before anything starts, so a clash costs nothing to fix.
        if (options.cluster()) {
            for (int port : KafkaCluster.ports(options.kafkaPort())) {
                requirePortFree(port, "a Kafka node or its controller", "--kafka-port");
            }
            requirePortFree(options.sparkPort(), "the Spark master", "--spark-port");
            for (int port = options.sparkUiPort(); port <= options.sparkUiPort() + SparkStandaloneCluster.WORKERS; port++) {
                requirePortFree(port, "the Spark master's or a worker's web UI", "--spark-ui-port");
            }
        } else {
            requirePortFree(options.kafkaPort(), "Kafka", "--kafka-port");
            requirePortFree(options.kafkaPort() + 1, "Kafka's controller", "--kafka-port");
        }
        requirePortFree(options.httpPort(), "the producer service", "--http-port");
        int steps = (options.withJob() ? 4 : 3) + (options.cluster() ? 1 : 0);
        int step = 1;

        step(String.format("[%d/%d] PostgreSQL on %s:%d, database %s", step++, steps, options.postgres().host(),
                options.postgres().port(), options.postgres().database()));
        preparePostgres();

        String bootstrap;
        long t = System.nanoTime();
        if (options.cluster()) {
            step(String.format("[%d/%d] Apache Kafka cluster (KRaft): three nodes from localhost:%d, a controller quorum of three",
                    step++, steps, options.kafkaPort()));
            KafkaCluster kafka = KafkaCluster.start(layout, options.listen(), options.kafkaPort(), state.resolve("kafka"),
                    Map.of(TOPIC, CLUSTER_PARTITIONS), OUT, false);
            running.push(kafka);
            bootstrap = kafka.bootstrapServers();
            done(String.format("ready at %s; %s: %d partitions, replication factor %d, min.insync.replicas %d", bootstrap, TOPIC,
                    CLUSTER_PARTITIONS, KafkaCluster.REPLICATION_FACTOR, KafkaCluster.MIN_INSYNC_REPLICAS), t);

            step(String.format("[%d/%d] Spark standalone cluster: a master on spark://127.0.0.1:%d and %d workers (%d core, %s each)",
                    step++, steps, options.sparkPort(), SparkStandaloneCluster.WORKERS, SparkStandaloneCluster.WORKER_CORES,
                    SparkStandaloneCluster.WORKER_MEMORY));
            t = System.nanoTime();
            spark = SparkStandaloneCluster.start(layout, options.listen(), state.resolve("spark"), options.sparkPort(), options.sparkUiPort(),
                    new int[] {options.sparkUiPort() + 1, options.sparkUiPort() + 2}, OUT, false);
            running.push(spark);
            done("master web UI at http://localhost:" + spark.webUiPort(), t);
        } else {
            step(String.format("[%d/%d] Apache Kafka broker (KRaft) on localhost:%d", step++, steps, options.kafkaPort()));
            KafkaBrokerProcess broker = KafkaBrokerProcess.start(layout, options.listen(), options.kafkaPort(), options.kafkaPort() + 1,
                    state.resolve("kafka"), Map.of(TOPIC, 3), OUT, false);
            running.push(broker);
            bootstrap = broker.bootstrapServers();
            done("ready at " + bootstrap, t);
        }

        if (options.withJob()) {
            step(String.format("[%d/%d] Analytics job (%s, checkpoints in %s)", step++, steps,
                    spark == null ? "Spark local[*]" : "spark-submit to " + spark.masterUrl() + ", client deploy mode", state.resolve("checkpoints")));
            t = System.nanoTime();
            job.set(startJob(bootstrap, state));
            running.push(() -> job.get().close());
            superviseJob(bootstrap, state);
            done("streaming", t);
        }

        step(String.format("[%d/%d] Producer service on http://localhost:%d (%s events/s)", step, steps, options.httpPort(), options.rate()));
        t = System.nanoTime();
        ManagedProcess service = startService(bootstrap);
        running.push(service::close);
        done("serving", t);

        OUT.printf("%nThe pipeline is up (%.1f s). Try:%n", (System.nanoTime() - begin) / 1e9);
        String base = "http://localhost:" + options.httpPort();
        for (String example : List.of(
                "curl " + base + "/producer",
                "curl -X PUT" + (controlToken() ? " -H \"Authorization: Bearer $PRODUCER_CONTROL_TOKEN\"" : "")
                        + " -H 'Content-Type: application/json' -d '{\"events_per_second\": 200}' " + base + "/producer/rate",
                "curl '" + base + "/metrics/product-views?limit=5'",
                "curl " + base + "/metrics/pipeline",
                "kcat -C -b " + bootstrap + " -t " + TOPIC + " -c 3")) {
            OUT.println("  " + example);
        }
        if (spark != null) {
            OUT.println("Spark master web UI (workers, executors, the application): http://localhost:" + spark.webUiPort());
        }
        OUT.println("Ctrl-C stops everything; run again to resume where it stopped (--fresh starts over).");
        OUT.println();
    }

    /** The service gets this JVM's environment: PRODUCER_CONTROL_TOKEN protects PUT /producer/rate on the local stack too. */
    private static boolean controlToken() {
        String token = System.getenv("PRODUCER_CONTROL_TOKEN");
        return token != null && !token.isBlank();
    }

    /** The cluster keeps its own state: its topic is replicated, its checkpoints are another run's. */
    private Path stateDir() {
        return options.cluster() ? layout.stateDir().resolve("cluster") : layout.stateDir();
    }

    private void preparePostgres() {
        PostgresServer server = postgresServer(options.postgres());
        server.embedded().ifPresent(embedded -> running.push(embedded::close)); // stopped last
        PostgresDatabase db = server.database(options.postgres().database());
        if (server.embedded().isEmpty() && !db.serverAnswers()) {
            throw new IllegalStateException("PostgreSQL on " + db.host() + ":" + db.port() + " refuses a login as user " + db.user()
                    + ": check POSTGRES_USER and POSTGRES_PASSWORD (or run ./run-local.sh --postgres=embedded on another POSTGRES_PORT).");
        }
        db.createIfMissing();
        String version = db.applySchema();
        if (options.fresh()) {
            db.truncateAll();
        }
        database = db;
        OUT.println("      ok: " + server.describe());
        OUT.println("      ok: database " + db.database() + " at schema version " + version + " (the migrations in sql/)");
        OUT.println("      psql: " + server.psqlCommand(db.database()));
    }

    /**
     * The configured server when it answers; else, at the local default address, the embedded one with its data in
     * .local-stack/postgres (kept across restarts, forgotten by --fresh); --postgres forces either.
     */
    private PostgresServer postgresServer(PostgresDatabase configured) {
        String host = configured.host();
        int port = configured.port();
        boolean listening = PostgresServer.listening(host, port);
        switch (options.postgresMode()) {
            case EXTERNAL:
                if (!listening) {
                    throw notAnswering(configured);
                }
                return PostgresServer.external(host, port, configured.user(), configured.password());
            case EMBEDDED:
                if (listening) {
                    throw new IllegalStateException("Port " + port + " is in use (a PostgreSQL server already runs there?), so the embedded "
                            + "PostgreSQL cannot take it: use it with --postgres=external, or pick a free port with POSTGRES_PORT.");
                }
                return PostgresServer.embedded(startEmbedded(port));
            default:
                if (listening) {
                    return PostgresServer.external(host, port, configured.user(), configured.password());
                }
                if (!isLocalDefault(host, port)) {
                    throw notAnswering(configured); // a server the user configured: theirs to start
                }
                OUT.println("      Nothing answers on " + host + ":" + port + ": starting the embedded PostgreSQL (--postgres=external to refuse)");
                return PostgresServer.embedded(startEmbedded(port));
        }
    }

    private EmbeddedPostgresServer startEmbedded(int port) {
        long t = System.nanoTime();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startPersistent(layout.embeddedPostgresData(), port, options.listen());
        done("embedded PostgreSQL 14 started", t);
        return server;
    }

    private static boolean isLocalDefault(String host, int port) {
        return port == 5432 && List.of("localhost", "127.0.0.1", "::1").contains(host);
    }

    private static IllegalStateException notAnswering(PostgresDatabase db) {
        return new IllegalStateException("PostgreSQL is not answering on " + db.host() + ":" + db.port() + " as user " + db.user() + ".\n"
                + "  Start it, e.g. on Debian/Ubuntu: sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
                + "  (install it with: sudo apt-get install -y postgresql), on macOS: brew services start postgresql,\n"
                + "  or point POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD at a server you have,\n"
                + "  or run the embedded one: ./run-local.sh --postgres=embedded");
    }

    private ManagedProcess startJob(String bootstrapServers, Path state) {
        Map<String, String> settings = AnalyticsJobProcess.settings(bootstrapServers, database, state.resolve("checkpoints"));
        if (spark != null) {
            return AnalyticsJobProcess.submit(layout, spark, settings, List.of(), state.resolve("tmp"), OUT, false).process();
        }
        return AnalyticsJobProcess.start(layout, options.listen(), settings, AnalyticsJobProcess.LOCAL_MEMORY, state.resolve("tmp"), OUT, false).process();
    }

    private ManagedProcess startService(String bootstrapServers) {
        Map<String, String> settings = ProducerServiceProcess.settings(bootstrapServers, database);
        settings.put("PRODUCER_RATE", options.rate());
        options.seed().ifPresent(seed -> settings.put("PRODUCER_SEED", seed));
        return ProducerServiceProcess.startAndAwaitReady(layout, options.listen(), settings, options.httpPort(), List.of("-Xmx512m"), OUT, false);
    }

    private static void requirePortFree(int port, String what, String option) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 300);
        } catch (IOException free) {
            return;
        }
        throw new IllegalStateException("Port " + port + " (" + what + ") is already in use: is the local stack already "
                + "running? Stop it, or choose another port with " + option + ".");
    }

    /**
     * The job exits with status 1 when a query fails for good (e.g. the database stayed away past its retries):
     * like a cluster's supervisor, restart it, and it resumes every query from its checkpoints.
     */
    private void superviseJob(String bootstrapServers, Path state) {
        job.get().onExit().thenRun(() -> {
            if (stopping) {
                return;
            }
            OUT.printf("[stack] The analytics job exited (status %d); restarting it in 10 s from its checkpoints.%n", job.get().exitCode());
            while (!stopping) {
                try {
                    Thread.sleep(10_000);
                    if (stopping) {
                        return;
                    }
                    job.set(startJob(bootstrapServers, state));
                    OUT.println("[stack] The analytics job is streaming again.");
                    superviseJob(bootstrapServers, state);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    OUT.println("[stack] The analytics job could not start again (" + e.getMessage().lines().findFirst().orElse("")
                            + "); retrying in 10 s.");
                }
            }
        });
    }

    private void stopAll() {
        stopping = true;
        if (running.isEmpty()) {
            return;
        }
        OUT.println();
        OUT.println("Stopping the pipeline...");
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                OUT.println("  while stopping: " + e.getMessage());
            }
        }
        OUT.println("Stopped.");
    }

    private static void step(String message) {
        OUT.println(message);
    }

    private static void done(String message, long startNanos) {
        OUT.printf("      ok: %s (%.1f s)%n", message, (System.nanoTime() - startNanos) / 1e9);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
