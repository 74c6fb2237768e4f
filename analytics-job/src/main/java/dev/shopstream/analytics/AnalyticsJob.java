package dev.shopstream.analytics;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import dev.shopstream.analytics.audit.AuditReport;
import dev.shopstream.analytics.audit.AuditSchedule;
import dev.shopstream.analytics.audit.WindowAudit;
import dev.shopstream.analytics.checkpoint.LocalCheckpointFiles;
import dev.shopstream.analytics.pipeline.StreamingPipeline;
import dev.shopstream.analytics.progress.ProgressRecorder;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.schema.SchemaMigrations;

/**
 * The ShopStream analytics job: user events from Kafka, windowed per product and category, upserted into
 * PostgreSQL. Runs with {@code java -cp ...} (local[*] unless told otherwise) or {@code spark-submit --class
 * dev.shopstream.analytics.AnalyticsJob analytics-job-*-spark-submit.jar [--key=value...]}.
 */
public final class AnalyticsJob {

    /** Printed once every query has started; the local stack waits for it. */
    public static final String READY_LINE = "JOB_READY";
    private static final Logger LOG = LogManager.getLogger(AnalyticsJob.class);
    private static final String CODEGEN_CACHE = "spark.sql.codegen.cache.maxEntries";
    private static final String SCHEDULER_MODE = "spark.scheduler.mode";
    /** Audit once and exit, beside a running job (or without one). */
    static final String AUDIT = "--audit";
    /** Fold the late events into their windows from the audit's recompute, audit, and exit. */
    static final String FOLD_LATE = "--fold-late";

    /** Spark's shutdown hook's priority in Hadoop's manager (FileSystem.SHUTDOWN_HOOK_PRIORITY + 30, Spark's ShutdownHookManager). */
    static final int SPARK_HOOK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 30;
    /** The job's stop: before Spark's hook, which stops the SparkContext. */
    static final int STOP_HOOK_PRIORITY = SPARK_HOOK_PRIORITY + 10;

    private AnalyticsJob() {
    }

    public static void main(String[] args) {
        if (Stream.of(args).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            System.out.println(usage());
            return;
        }
        boolean audit = Stream.of(args).anyMatch(AUDIT::equals);
        boolean fold = Stream.of(args).anyMatch(FOLD_LATE::equals);
        String[] settingArgs = Stream.of(args).filter(a -> !a.equals(AUDIT) && !a.equals(FOLD_LATE)).toArray(String[]::new);
        JobSettings settings;
        Duration stopBound;
        try {
            settings = JobSettings.fromArgs(settingArgs, System.getenv());
            stopBound = StopWatchdog.bound();
        } catch (IllegalArgumentException e) { // a setting's InvalidSettingException, or the stop's bound
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // From here on, a stop (SIGTERM) ends the JVM within the bound, in every mode: past it, the watchdog halts it.
        StopWatchdog.armOnShutdown();
        if (audit || fold) {
            System.exit(auditOnce(settings, fold));
            return;
        }
        RunningJob job;
        try {
            job = start(settings);
        } catch (RuntimeException e) {
            LOG.error("The job could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        // The job's stop runs before Spark stops its context: Hadoop's shutdown hook manager, which Spark's own hook goes
        // through (at SPARK_HOOK_PRIORITY), runs its hooks one after the other, highest priority first. As two JVM hooks
        // they ran at once, and the context stopped under the query while it was being stopped: its thread could be
        // left waiting for a job the stopped scheduler never ran, and query.stop() waited for that thread for ever.
        ShutdownHookManager.get().addShutdownHook(() -> {
            if (!stopping.compareAndSet(false, true)) {
                return; // the job already stopped itself (a query failed) and is exiting
            }
            LOG.info("Stopping (the batches in flight are redone on the next start)");
            quietInterruptionNoise();
            job.stop();
        }, STOP_HOOK_PRIORITY, stopBound.toMillis(), TimeUnit.MILLISECONDS);
        try {
            job.awaitAnyTermination();
            if (stopping.get()) {
                return;
            }
            LOG.error("A query stopped by itself; stopping the job");
        } catch (Exception e) {
            if (stopping.get()) {
                return; // stopped on purpose: a query interrupted mid-batch reports that as a failure
            }
            // E.g. the database stayed away past the sink's retries.
            LOG.error("A query failed, stopping the job: {}", e.getMessage(), e);
        }
        // Exit non-zero so that the supervisor restarts the job, which resumes every query from its checkpoint.
        if (stopping.compareAndSet(false, true)) {
            job.stop();
        }
        System.exit(1);
    }

    /** {@value #AUDIT} and {@value #FOLD_LATE}: one audit (a Kafka consumer and JDBC, no Spark); prints its summary. */
    static int auditOnce(JobSettings settings, boolean fold) {
        try {
            JdbcTarget target = JdbcTarget.from(settings);
            SchemaMigrations.migrate(target.url(), target.user(), target.password(), Duration.ofSeconds(60));
            AuditReport report = new WindowAudit(settings).run(fold);
            System.out.println(report.summary());
            return 0;
        } catch (Exception e) {
            LOG.error("The audit failed: {}", e.getMessage(), e);
            return 1;
        }
    }

    /**
     * Stopping interrupts the batches in flight, and Spark and the Kafka client report every interrupted task,
     * consumer and job group, stack traces included. Expected at shutdown, so not worth a page of log.
     */
    private static void quietInterruptionNoise() {
        for (String logger : List.of("org.apache.spark.scheduler", "org.apache.spark.executor", "org.apache.spark.sql.kafka010",
                "org.apache.kafka", "org.apache.spark.sql.execution.streaming", "org.apache.hadoop")) {
            Configurator.setLevel(logger, Level.OFF);
        }
    }

    /**
     * Migrates the database to the schema of sql/, starts the Spark session (or joins the current one) and every query, and prints
     * {@value #READY_LINE}. The caller owns the returned job and stops it.
     */
    public static RunningJob start(JobSettings settings) {
        LOG.info("Starting with {}", settings.describe());
        JdbcTarget target = JdbcTarget.from(settings);
        // The schema is brought up to date while Spark starts: the query needs both, neither needs the other.
        CompletableFuture<String> schema = CompletableFuture.supplyAsync(
                () -> SchemaMigrations.migrate(target.url(), target.user(), target.password(), Duration.ofSeconds(60)));
        SparkSession spark = session(settings);
        String schemaVersion;
        try {
            schemaVersion = schema.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        LOG.info("Database {} is at schema version {} (the migrations in sql/)", target.url(), schemaVersion);
        ProgressRecorder recorder = new ProgressRecorder(target, Set.of(AnalyticsSchema.QUERY_NAME));
        spark.streams().addListener(recorder);
        List<StreamingQuery> queries;
        try {
            queries = List.of(StreamingPipeline.start(spark, settings));
        } catch (RuntimeException e) {
            spark.streams().removeListener(recorder);
            throw e;
        }
        String started = queries.stream().map(StreamingQuery::name).collect(Collectors.joining(","));
        System.out.println(READY_LINE + " queries=" + started);
        System.out.flush();
        LOG.info("{} queries running: {}", queries.size(), started);
        AuditSchedule audits = AuditSchedule.start(new WindowAudit(settings), settings.auditInterval());
        return new RunningJob(spark, queries, recorder, audits);
    }

    /**
     * The session: spark-submit's master when it set one, else SPARK_MASTER. Session-level settings are set on
     * the session, so they also apply when joining a session that already exists (tests, notebooks).
     */
    static SparkSession session(JobSettings settings) {
        SparkConf submitted = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName("shopstream-analytics");
        if (!submitted.contains("spark.master")) {
            builder = builder.master(settings.sparkMaster());
        }
        if (!submitted.contains(CODEGEN_CACHE)) {
            // Stateful operators generate code with each batch's watermark in it: new classes every batch. With
            // Spark's default of 100 cached classes, those push out the classes every batch reuses, which were
            // then compiled over and over, and every batch paid for it (docs/benchmarks.md).
            builder = builder.config(CODEGEN_CACHE, 500);
        }
        if (!submitted.contains(SCHEDULER_MODE)) {
            // Fair scheduling between pools ("default" for the stream; fairscheduler.xml): a long Spark job someone
            // adds beside the stream (a notebook on the same session) shares the cores instead of holding them.
            builder = builder.config(SCHEDULER_MODE, "FAIR");
        }
        if (!submitted.contains(LocalCheckpointFiles.FILE_SCHEME_SPARK_KEY)) {
            // Set before the context exists, so that every executor and the first file system Hadoop caches have it.
            builder = builder.config(LocalCheckpointFiles.FILE_SCHEME_SPARK_KEY, LocalCheckpointFiles.fileSchemeClass());
        }
        // Spark's metrics system reads its sinks when the context starts, so they go on the builder; what
        // spark-submit set wins.
        for (var entry : settings.sparkMetricsConf().entrySet()) {
            if (!submitted.contains(entry.getKey())) {
                builder = builder.config(entry.getKey(), entry.getValue());
            }
        }
        SparkSession spark = builder.getOrCreate();
        // Few shuffle partitions: the keys are a few hundred products and categories per window, and every
        // partition costs a task and a state store per stateful operator per batch, so Spark's default of 200
        // makes each batch far slower (docs/benchmarks.md).
        spark.conf().set("spark.sql.shuffle.partitions", settings.shufflePartitions());
        // Windows start on UTC boundaries whatever the machine's zone is.
        spark.conf().set("spark.sql.session.timeZone", "UTC");
        // Adaptive execution does not apply to streaming queries; Spark says so in a warning per query if it is on.
        spark.conf().set("spark.sql.adaptive.enabled", false);
        return spark;
    }

    static String usage() {
        return "Runs the job; with " + AUDIT + ": audits the closed windows once and exits; with " + FOLD_LATE
                + ": folds the late events into their windows, audits and exits.\n" + JobSettings.usage();
    }
}
