package dev.shopstream.analytics.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.progress.RejectMetrics;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.sink.PostgresUpsertSink;

/** Wires Kafka, the parser, the aggregations and the sinks into running queries. */
public final class StreamingPipeline {

    private StreamingPipeline() {
    }

    /** Starts every {@link AnalyticsQuery}; on failure, stops those already started. */
    public static List<StreamingQuery> startAll(SparkSession spark, JobSettings settings) {
        List<StreamingQuery> started = new ArrayList<>();
        try {
            for (AnalyticsQuery query : AnalyticsQuery.values()) {
                started.add(start(spark, settings, query));
            }
            return started;
        } catch (RuntimeException e) {
            started.forEach(StreamingPipeline::stopQuietly);
            throw e;
        }
    }

    /** Starts one query (the job starts them all; a tool or test may want one). */
    public static StreamingQuery start(SparkSession spark, JobSettings settings, AnalyticsQuery query) {
        Dataset<Row> parsed = RejectMetrics.observe(EventParser.parse(readKafka(spark, settings)), query.queryName());
        try {
            return query.output(parsed, settings.windowSpec())
                    .writeStream()
                    .queryName(query.queryName())
                    .outputMode(query.outputMode())
                    .option("checkpointLocation", settings.checkpointLocation(query.queryName()))
                    .trigger(Trigger.ProcessingTime(settings.triggerInterval().toMillis()))
                    .foreachBatch(new PostgresUpsertSink(query.table(), JdbcTarget.from(settings)))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Query " + query.queryName() + " did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The topic as a stream. Each query has a source of its own (Spark requires it); failOnDataLoss stays on,
     * so records deleted before they were read stop the job loudly rather than leaving silent gaps.
     */
    static Dataset<Row> readKafka(SparkSession spark, JobSettings settings) {
        DataStreamReader reader = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", settings.kafkaBootstrapServers())
                .option("subscribe", settings.kafkaTopic())
                .option("startingOffsets", settings.startingOffsets());
        if (settings.maxOffsetsPerTrigger().isPresent()) {
            reader = reader.option("maxOffsetsPerTrigger", settings.maxOffsetsPerTrigger().getAsLong());
        }
        return reader.load();
    }

    static void stopQuietly(StreamingQuery query) {
        try {
            query.stop();
        } catch (TimeoutException | RuntimeException ignored) {
            // stopping anyway
        }
    }
}
