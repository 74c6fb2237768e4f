package dev.shopstream.analytics.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.shopstream.analytics.settings.Durations;

/**
 * Runs the audit every AUDIT_INTERVAL on one daemon thread of the job's process, beside the stream (a plain Kafka
 * consumer and JDBC, no Spark job: a failure is logged and the next period tries again, the stream never waits for
 * it). A stop interrupts it: the Kafka consumer's read ends at the interrupt.
 */
public final class AuditSchedule implements AutoCloseable {

    /** How long {@link #close()} waits for an audit in progress to end once interrupted. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LogManager.getLogger(AuditSchedule.class);

    private final ScheduledExecutorService executor;
    private final AtomicBoolean running;
    private final AtomicBoolean closing;

    private AuditSchedule(ScheduledExecutorService executor, AtomicBoolean running, AtomicBoolean closing) {
        this.executor = executor;
        this.running = running;
        this.closing = closing;
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
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean closing = new AtomicBoolean();
        executor.scheduleWithFixedDelay(() -> {
            running.set(true);
            try {
                audit.run();
            } catch (Exception e) {
                if (closing.get()) {
                    LOG.info("The audit in progress was stopped with the job (it runs again {} after the next start)", Durations.format(interval));
                } else {
                    LOG.warn("The audit failed (the next one is in {}): {}", Durations.format(interval), e.getMessage(), e);
                }
            } finally {
                running.set(false);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AuditSchedule(executor, running, closing);
    }

    /** Stops the schedule: an audit in progress is interrupted; waits {@link #CLOSE_WAIT} for it. */
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
        if (running.get()) {
            LOG.info("Stopping the audit in progress");
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The audit did not end within {} ms of its interruption; left to the JVM's exit", wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
