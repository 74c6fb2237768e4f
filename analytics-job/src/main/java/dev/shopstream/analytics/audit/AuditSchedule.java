package dev.shopstream.analytics.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs the audit every AUDIT_INTERVAL on one daemon thread of the job's process, on the job's SparkSession
 * (the batch read and aggregations are Spark jobs beside the stream's; a failure is logged and the next
 * period tries again, the stream never waits for it).
 */
public final class AuditSchedule implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(AuditSchedule.class);

    private final ScheduledExecutorService executor;

    private AuditSchedule(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Null when the interval is 0 (audits only on demand). */
    public static AuditSchedule start(WindowAudit audit, Duration interval) {
        if (interval.isZero()) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "analytics-audit");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                audit.run();
            } catch (Exception e) {
                LOG.warn("The audit failed (the next one is in {}): {}", interval, e.getMessage(), e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AuditSchedule(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
