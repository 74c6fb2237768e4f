package dev.shopstream.analytics;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import dev.shopstream.analytics.audit.AuditSchedule;
import dev.shopstream.analytics.progress.ProgressRecorder;

/** The job's queries while they run: to wait on them, to drain them (tests) and to stop them. */
public final class RunningJob implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(RunningJob.class);
    private static final String STOP_TIMEOUT = "spark.sql.streaming.stopTimeout";
    private static final Duration RECORDER_CLOSE_WAIT = Duration.ofSeconds(2);

    private final SparkSession spark;
    private final List<StreamingQuery> queries;
    private final ProgressRecorder recorder;
    private final AuditSchedule audits;

    RunningJob(SparkSession spark, List<StreamingQuery> queries, ProgressRecorder recorder, AuditSchedule audits) {
        this.spark = spark;
        this.queries = List.copyOf(queries);
        this.recorder = recorder;
        this.audits = audits;
    }

    public SparkSession spark() {
        return spark;
    }

    public List<StreamingQuery> queries() {
        return queries;
    }

    public StreamingQuery query(String name) {
        return queries.stream().filter(q -> name.equals(q.name())).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No query named " + name));
    }

    /** Blocks until every query has processed all the data available when called (for tests and tools). */
    public void processAllAvailable() {
        queries.forEach(StreamingQuery::processAllAvailable);
    }

    /** Blocks until a query stops; throws if it stopped because it failed. */
    public void awaitAnyTermination() throws StreamingQueryException {
        spark.streams().awaitAnyTermination();
    }

    /**
     * Stops the audits, every query (a batch in flight is abandoned and replayed by the next run) and the listener,
     * each within its share of the stop's bound ({@link StopWatchdog#bound()}, 30 s): the audit a sixth, the queries
     * half, the listener's connection two seconds. A part that does not end in its share is logged with where it
     * was, and left to the JVM's exit; the batch it was writing is replayed from the checkpoint all the same.
     */
    public void stop() {
        Duration bound = StopWatchdog.bound();
        if (audits != null) {
            audits.close(bound.dividedBy(6));
        }
        // Spark waits for a query's thread to end for spark.sql.streaming.stopTimeout, by default for ever: a thread
        // that does not answer its interrupt (a JDBC statement waiting on a lock, a job submitted to a scheduler that
        // is stopping) then held the stop, and with it the JVM, indefinitely. A value the operator set is kept.
        if (!spark.conf().contains(STOP_TIMEOUT)) {
            spark.conf().set(STOP_TIMEOUT, bound.dividedBy(2).toMillis());
        }
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (TimeoutException e) {
                // Its cause carries the query thread's stack: where the stop was held.
                LOG.warn("{} did not stop within {} ({}); its thread is left to the JVM's exit", query.name(), STOP_TIMEOUT,
                        spark.conf().get(STOP_TIMEOUT), e);
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
        spark.streams().removeListener(recorder);
        // The recorder's close waits for a progress write in flight, which a database that does not answer can hold.
        Thread closing = new Thread(recorder::close, "progress-recorder-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(RECORDER_CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
