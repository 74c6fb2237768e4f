package dev.shopstream.analytics.pipeline;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import dev.shopstream.analytics.checkpoint.CheckpointManifest;
import dev.shopstream.analytics.checkpoint.LocalCheckpointFiles;
import dev.shopstream.analytics.dedup.EventDeduplicator;
import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.events.RejectedRecordFilter;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.settings.WindowSpec;
import dev.shopstream.analytics.sink.AnalyticsBatchSink;
import dev.shopstream.analytics.sink.AnalyticsWriter;
import dev.shopstream.analytics.sink.BatchCounters;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.analytics.windows.WindowAggregations;
import dev.shopstream.contract.AnalyticsSchema;

/**
 * The job's ONE streaming query: Kafka, read and parsed once; the rejected records set aside; one watermark
 * and one de-duplication, the query's only stateful step; each batch's first copies summed to (window, product,
 * category), carrying all three analytics; and one transaction per batch that adds those sums to the stored
 * totals and writes the three tables, the rejects and the batch's progress together.
 */
public final class StreamingPipeline {

    /** The broker's longest wait on a fetch by the query's consumers. */
    public static final int FETCH_MAX_WAIT_MS = 2;

    private StreamingPipeline() {
    }

    /** Starts the query on the Kafka topic of the settings. */
    public static StreamingQuery start(SparkSession spark, JobSettings settings) {
        return start(spark, settings, readKafka(spark, settings));
    }

    /**
     * Starts the query on any stream of records shaped like Kafka's (value, topic, partition, offset): the
     * topic in the job, a MemoryStream in fast tests of its streaming semantics.
     */
    public static StreamingQuery start(SparkSession spark, JobSettings settings, Dataset<Row> records) {
        LocalCheckpointFiles.apply(spark);
        StateStoreChoice.apply(spark);
        JdbcTarget target = JdbcTarget.from(settings);
        BatchCounters counters = BatchCounters.register(spark, AnalyticsSchema.QUERY_NAME);
        RejectedRecordFilter rejects = new RejectedRecordFilter(counters.rejected(), target, settings.rejectedPayloadMaxBytes());
        // No Dataset.observe here: the batch's rejected records are counted where they are written, in its
        // transaction. An observation node between the parse and the filter split the read into two codegen
        // stages and copied every record, its raw text included, between them (docs/benchmarks.md).
        Dataset<Row> parsed = EventParser.parse(records);
        EventDeduplicator deduplicator = new EventDeduplicator(settings.windowDuration().toMillis(), settings.kafkaTopic(), target,
                counters.duplicates(), counters.rejected());
        Dataset<Row> valid = rejects.validEvents(parsed);
        // Test only: a fault on purpose, for the audit's test (absent unless -Dshopstream.test.fault is set).
        Optional<InjectedFault> fault = InjectedFault.fromSystemProperty();
        if (fault.isPresent()) {
            valid = fault.get().apply(valid);
        }
        Dataset<Row> firstCopies = WindowAggregations.firstCopiesOfStream(valid, settings.windowSpec(), deduplicator);
        String checkpoint = settings.checkpointLocation(AnalyticsSchema.QUERY_NAME);
        String lineage = new CheckpointManifest(WindowAggregations.STATE_LAYOUT, settings.windowDuration(), settings.watermarkDelay())
                .claim(settings.checkpointDir(), checkpoint, spark.sparkContext().hadoopConfiguration());
        WindowSpec spec = settings.windowSpec();
        try {
            // Each batch's first copies are summed and written within one trigger: a window's numbers grow while it
            // is open, instead of appearing once after the watermark has closed it (minutes later).
            return firstCopies.writeStream()
                    .queryName(AnalyticsSchema.QUERY_NAME)
                    .outputMode(OutputMode.Append())
                    .option("checkpointLocation", checkpoint)
                    .trigger(Trigger.ProcessingTime(settings.triggerInterval().toMillis()))
                    .foreachBatch(new AnalyticsBatchSink(batch -> WindowAggregations.totalsOf(batch, spec),
                            new AnalyticsWriter(target, AnalyticsSchema.QUERY_NAME, lineage), counters, checkpoint))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Query " + AnalyticsSchema.QUERY_NAME + " did not start: " + e.getMessage(), e);
        }
    }

    /** The topic as a stream. failOnDataLoss stays on: records deleted before they were read stop the job loudly. */
    static Dataset<Row> readKafka(SparkSession spark, JobSettings settings) {
        DataStreamReader reader = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", settings.kafkaBootstrapServers())
                .option("subscribe", settings.kafkaTopic())
                .option("startingOffsets", settings.startingOffsets())
                // A read task seeks to its range's start; the consumer first waits out its fetch in flight, which
                // the broker holds until data comes or fetch.max.wait.ms (Kafka's default: 500 ms) passes. At
                // a low rate every batch's read tasks waited that long for a record that was already there. After
                // each poll Spark's consumer also asks for the partition's earliest and latest offsets, and those
                // requests queue at the broker behind the fetch it holds: 20 ms cost a read task about 14 ms a batch
                // at 2,000 events/s (docs/benchmarks.md). A consumer polls only inside a task, for records that exist.
                .option("kafka.fetch.max.wait.ms", String.valueOf(FETCH_MAX_WAIT_MS));
        if (settings.maxOffsetsPerTrigger().isPresent()) {
            reader = reader.option("maxOffsetsPerTrigger", settings.maxOffsetsPerTrigger().getAsLong());
        }
        return reader.load();
    }
}
