package dev.shopstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.support.AnalyticsTables;
import dev.shopstream.analytics.support.EventProducer;
import dev.shopstream.analytics.support.ExpectedAnalytics;
import dev.shopstream.analytics.support.ShopEventStream;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.testsupport.AnalyticsJobProcess;
import dev.shopstream.testsupport.KafkaBrokerProcess;
import dev.shopstream.testsupport.ManagedProcess;
import dev.shopstream.testsupport.PostgresDatabase;
import dev.shopstream.testsupport.ProjectLayout;

/**
 * SIGTERM to the job's own JVM, started as the local stack starts it, in each state it can be in when a supervisor
 * stops it: idle after catching up, mid-batch, in an audit, and held by a batch that waits on a database lock. It
 * must be gone within the stop's bound ({@link StopWatchdog#bound()}, 30 s), and a restart on the same checkpoints
 * must leave every table exactly as plain Java computes it from the topic.
 */
class JobStopIT {

    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
    private static final Duration WINDOW = AnalyticsSchema.DEFAULT_WINDOW;
    private static final String QUERY = AnalyticsSchema.QUERY_NAME;

    @TempDir
    static Path tmp;
    private static KafkaBrokerProcess broker;

    /** Each test has a topic of its own, created before any producer sends to it. */
    private static final List<String> SCENARIOS = List.of("idle", "midbatch", "audit", "halt");

    @BeforeAll
    static void startBroker() {
        Map<String, Integer> topics = new java.util.HashMap<>();
        SCENARIOS.forEach(name -> topics.put(Scenario.topic(name), 3));
        broker = KafkaBrokerProcess.startOnFreePorts(tmp.resolve("kafka"), topics, System.out);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldStopWithinTheBoundWhenIdleAfterCatchingUpAndResumeExactly() throws Exception {
        try (Scenario run = new Scenario("idle", Map.of())) {
            run.producer.send(run.stream.onTime(3_000, Duration.ofMinutes(5), 0.03, 0.02));
            ManagedProcess job = run.startJob(List.of());
            run.awaitCaughtUp();
            Thread.sleep(3_000); // idle: triggers find nothing new

            run.assertStopsWithinTheBound(job);
            run.assertResumesExactly();
        }
    }

    @Test
    void shouldStopWithinTheBoundMidBatchAndResumeExactly() throws Exception {
        // Small batches of a large backlog: the query runs one batch after the other.
        try (Scenario run = new Scenario("midbatch", Map.of("MAX_OFFSETS_PER_TRIGGER", "800"))) {
            run.producer.send(run.stream.onTime(12_000, Duration.ofMinutes(6), 0.03, 0.02));
            ManagedProcess job = run.startJob(List.of());
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run.tables.progress().containsKey(QUERY) && run.tables.progress().get(QUERY).batches() >= 3);

            run.assertStopsWithinTheBound(job);
            assertThat(run.tables.progress().get(QUERY).inputRows()).as("rows read when stopped: still streaming")
                    .isLessThan(run.producer.sent().size());
            run.assertResumesExactly();
        }
    }

    @Test
    void shouldStopWithinTheBoundDuringAnAuditAndResumeExactly() throws Exception {
        // Audits back to back (2 s apart), beside the stream; the stop comes while one is in progress.
        try (Scenario run = new Scenario("audit", Map.of("AUDIT_INTERVAL", "2s"))) {
            run.producer.send(run.stream.onTime(4_000, Duration.ofMinutes(8), 0.03, 0.02));
            ManagedProcess job = run.startJob(List.of());
            job.awaitLine(line -> line.contains("WindowAudit - audit"), Duration.ofMinutes(3));
            // An incremental audit with nothing new takes milliseconds: hold the next one in progress, waiting on
            // audit_run, a wait no interrupt ends (JDBC), so that the stop must leave it to the JVM's exit.
            try (Connection lock = run.db.connect()) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE " + AnalyticsSchema.AUDIT_RUN + " IN ACCESS EXCLUSIVE MODE");
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> run.jobWaitsOnALock("%"));

                run.assertStopsWithinTheBound(job);
                lock.rollback();
            }
            assertThat(job.recentOutput()).as("stopped in an audit").contains("Stopping the audit in progress");
            run.assertResumesExactly();
        }
    }

    @Test
    void shouldHaltWithAThreadDumpWhenABatchHoldsTheStopPastTheBound() throws Exception {
        try (Scenario run = new Scenario("halt", Map.of())) {
            run.producer.send(run.stream.onTime(2_000, Duration.ofMinutes(4), 0.03, 0.02));
            // An operator's long stopTimeout: nothing in the job's own stop gives up before the watchdog does.
            ManagedProcess job = run.startJob(List.of("-Dspark.sql.streaming.stopTimeout=10min"));
            run.awaitCaughtUp();
            try (Connection lock = run.db.connect()) {
                // The next batch's transaction waits for this lock, a wait no interrupt ends.
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE " + AnalyticsSchema.STREAM_PROGRESS + " IN ACCESS EXCLUSIVE MODE");
                }
                run.producer.send(run.stream.onTime(500, Duration.ofMinutes(1), 0.03, 0.02));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        // The batch's transaction first reads its progress row (was the batch written before?).
                        .until(() -> run.jobWaitsOnALock("SELECT lineage FROM " + AnalyticsSchema.STREAM_PROGRESS + " %"));

                // The thread dump is longer than the output the process keeps: collect every line as it comes.
                StringBuffer output = new StringBuffer();
                job.watchFor(line -> {
                    output.append(line).append('\n');
                    return false;
                });
                run.assertStopsWithinTheBound(job);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.toString())
                        .as("the halt's thread dump: its header, the query's thread, held in a JDBC call")
                        .contains("The job " + StopWatchdog.HALTING).contains("\"stream execution thread for " + QUERY)
                        .contains("org.postgresql.core."));
                lock.rollback();
            }
            run.assertResumesExactly();
        }
    }

    /** One test's topic, database, checkpoints and job settings. */
    private static final class Scenario implements AutoCloseable {

        final PostgresDatabase db;
        final AnalyticsTables tables;
        final ShopEventStream stream;
        final EventProducer producer;
        final Map<String, String> settings;
        final Path dir;

        Scenario(String name, Map<String, String> extraSettings) throws Exception {
            String topic = topic(name);
            dir = Files.createDirectories(tmp.resolve(name));
            db = PostgresDatabase.forTests("job_stop_it_" + name).recreateWithSchema();
            tables = new AnalyticsTables(db);
            stream = new ShopEventStream(name.hashCode(), START);
            producer = new EventProducer(broker.bootstrapServers(), topic);
            settings = AnalyticsJobProcess.settings(broker.bootstrapServers(), db, dir.resolve("checkpoints"));
            settings.putAll(Map.of("KAFKA_TOPIC", topic, "SPARK_MASTER", "local[2]", "SHUFFLE_PARTITIONS", "2",
                    "TRIGGER_INTERVAL", "500ms", "AUDIT_INTERVAL", "0s"));
            settings.putAll(extraSettings);
        }

        static String topic(String scenario) {
            return "user_events_" + scenario;
        }

        ManagedProcess startJob(List<String> jvmArgs) throws Exception {
            List<String> jvm = new ArrayList<>(List.of("-Xmx768m", "-Dspark.ui.enabled=false"));
            jvm.addAll(jvmArgs);
            return AnalyticsJobProcess.startAndAwaitReady(ProjectLayout.locate(), settings, jvm,
                    Files.createDirectories(dir.resolve("job-tmp")), System.out, false);
        }

        void awaitCaughtUp() {
            Map<Integer, Long> topicEnd = producer.endOffsets();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                    tables.progress().containsKey(QUERY) && tables.progress().get(QUERY).lastEndOffsets().equals(topicEnd));
        }

        /** SIGTERM, as a supervisor sends it; the JVM must have exited within the bound, as a stopped JVM exits. */
        void assertStopsWithinTheBound(ManagedProcess job) throws Exception {
            Duration bound = StopWatchdog.DEFAULT_BOUND;
            long signalled = System.nanoTime();
            ProcessHandle.of(job.pid()).orElseThrow().destroy();
            try {
                job.onExit().get(bound.toSeconds() + 30, TimeUnit.SECONDS);
            } finally {
                job.killHard();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            System.out.printf("[test] %s: SIGTERM to exit in %.1f s, status %d%n", settings.get("KAFKA_TOPIC"), took.toMillis() / 1000.0, job.exitCode());
            assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(bound);
            assertThat(job.exitCode()).as("exit status").isEqualTo(StopWatchdog.HALT_STATUS);
        }

        /**
         * A second run on the same checkpoints, once more traffic came in, catches up: every table equals the plain-Java
         * computation over the topic, and it went on from the first run's batches instead of redoing them.
         */
        void assertResumesExactly() throws Exception {
            Map<Long, Instant> before = tables.batchTimes().getOrDefault(QUERY, Map.of());
            producer.send(stream.onTime(1_000, Duration.ofMinutes(2), 0.03, 0.02));
            ManagedProcess second = startJob(List.of());
            try {
                awaitCaughtUp();
            } finally {
                second.stop(Duration.ofSeconds(30));
            }
            ExpectedAnalytics expected = ExpectedAnalytics.of(producer.sent(), settings.get("KAFKA_TOPIC"), WINDOW);
            assertThat(tables.productViews()).containsExactlyInAnyOrderEntriesOf(expected.productViews);
            assertThat(tables.categoryActivity()).containsExactlyInAnyOrderEntriesOf(expected.categoryActivity);
            assertThat(tables.categoryRevenue()).containsExactlyInAnyOrderEntriesOf(expected.categoryRevenue);
            assertThat(tables.rejected()).containsExactlyInAnyOrderElementsOf(expected.rejected);
            Map<Long, Instant> after = tables.batchTimes().get(QUERY);
            assertThat(after).as("the first run's batches").containsAllEntriesOf(before);
            long lastBefore = before.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
            assertThat(after.keySet()).as("batches of the second run").anyMatch(id -> id > lastBefore);
        }

        /**
         * A statement of the job's, its text LIKE {@code statementLike}, waits on a lock. For a batch held in its transaction
         * the statement must be that transaction's (its progress row's INSERT, run by the query's thread): the
         * listener's UPDATE of the previous batch's row, on Spark's listener bus, can be the first to wait on the same
         * table, and then the query's thread may not be in a JDBC call yet when the signal comes.
         */
        boolean jobWaitsOnALock(String statementLike) throws Exception {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                 ResultSet waiting = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         + "AND application_name = 'shopstream-analytics-job' AND wait_event_type = 'Lock' "
                         + "AND query LIKE '" + statementLike + "'")) {
                return waiting.next() && waiting.getLong(1) > 0;
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
