package dev.shopstream.analytics;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import dev.shopstream.analytics.audit.AuditSchedule;
import dev.shopstream.analytics.progress.ProgressRecorder;

/** The job's queries while they run: to wait on them, to drain them (tests) and to stop them. */
public final class RunningJob implements AutoCloseable {

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

    /** Stops every query (a batch in flight is abandoned and replayed by the next run) and the listener. */
    public void stop() {
        if (audits != null) {
            audits.close();
        }
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (TimeoutException | RuntimeException e) {
                // keep stopping the others
            }
        }
        spark.streams().removeListener(recorder);
        recorder.close();
    }

    @Override
    public void close() {
        stop();
    }
}
