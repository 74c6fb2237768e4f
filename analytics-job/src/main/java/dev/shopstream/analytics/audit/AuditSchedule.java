package dev.shopstream.analytics.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;

import dev.shopstream.analytics.settings.Durations;

/**
 * Runs the audit every AUDIT_INTERVAL on one daemon thread of the job's process, on the job's SparkSession
 * (the batch read and aggregations are Spark jobs beside the stream's; a failure is logged and the next
 * period tries again, the stream never waits for it). Its Spark jobs carry a job group of their own, so that a
 * stop can cancel them.
 */
public final class AuditSchedule implements AutoCloseable {

    /** The job group of the audit's Spark jobs. */
    static final String JOB_GROUP = "shopstream-audit";
    /** How long {@link #close()} waits for an audit in progress to end once interrupted. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LogManager.getLogger(AuditSchedule.class);

    private final ScheduledExecutorService executor;
    private final SparkContext context;
    private final AtomicBoolean running;
    private final AtomicBoolean closing;

    private AuditSchedule(ScheduledExecutorService executor, SparkContext context, AtomicBoolean running, AtomicBoolean closing) {
        this.executor = executor;
        this.context = context;
        this.running = running;
        this.closing = closing;
    }

    /** Null when the interval is 0 (audits only on demand). */
    public static AuditSchedule start(SparkContext context, WindowAudit audit, Duration interval) {
        if (interval.isZero()) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "analytics-audit");
            thread.setDaemon(true);
            return thread;
        });
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean closing = new AtomicBoolean();
        executor.scheduleWithFixedDelay(() -> {
            running.set(true);
            // interruptOnCancel: a cancelled audit's tasks are interrupted, not left to read Kafka to the end.
            context.setJobGroup(JOB_GROUP, "the audit of the closed windows", true);
            try {
                audit.run();
            } catch (Exception e) {
                if (closing.get()) {
                    LOG.info("The audit in progress was stopped with the job (it runs again {} after the next start)", Durations.format(interval));
                } else {
                    LOG.warn("The audit failed (the next one is in {}): {}", Durations.format(interval), e.getMessage(), e);
                }
            } finally {
                context.clearJobGroup();
                running.set(false);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AuditSchedule(executor, context, running, closing);
    }

    /** Stops the schedule: an audit in progress is interrupted and its Spark jobs cancelled; waits {@link #CLOSE_WAIT} for it. */
    @Override
    public void close() {
        close(CLOSE_WAIT);
    }

    /**
     * As {@link #close()}, waiting at most {@code wait} for an audit in progress (a JDBC statement does not answer an
     * interrupt: an audit still writing its result is left to end, or to the JVM's exit, which rolls its transaction back).
     */
    public void close(Duration wait) {
        closing.set(true);
        executor.shutdownNow();
        if (running.get()) {
            LOG.info("Stopping the audit in progress");
            try {
                context.cancelJobGroup(JOB_GROUP);
            } catch (RuntimeException e) {
                // the context is already stopping: its jobs go with it
            }
        }
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The audit did not end within {} ms of its interruption; left to the JVM's exit", wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
