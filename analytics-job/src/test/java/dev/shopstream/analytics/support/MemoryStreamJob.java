package dev.shopstream.analytics.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;

import dev.shopstream.analytics.pipeline.StreamingPipeline;
import dev.shopstream.analytics.progress.ProgressRecorder;
import dev.shopstream.analytics.settings.JobSettings;
import dev.shopstream.analytics.sink.JdbcTarget;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.testsupport.PostgresDatabase;

/**
 * The job's streaming query, exactly as the job wires it (parser, reject diversion, watermark,
 * de-duplication, aggregation, one-transaction sink, progress listener), fed from a MemoryStream instead of
 * Kafka: each {@link #send} is one chunk of records, and Spark's offset for the source is the chunk's index.
 * Seconds per test instead of the minutes of the Kafka ITs.
 */
public final class MemoryStreamJob implements AutoCloseable {

    public static final String TOPIC = EventContract.TOPIC;

    private final SparkSession spark = SparkTestSession.get();
    private final MemoryStream<KafkaLikeRecord> stream = MemoryStream.apply(spark, Encoders.bean(KafkaLikeRecord.class));
    private final List<SentMessage> sent = new ArrayList<>();
    private final List<Integer> chunkEnds = new ArrayList<>();
    private final Map<Integer, Long> nextOffsets = new java.util.HashMap<>();
    private final JobSettings settings;
    private final ProgressRecorder recorder;
    private StreamingQuery query;

    public MemoryStreamJob(PostgresDatabase db, Path checkpoints, String triggerInterval) {
        settings = JobSettings.fromArgs(new String[] {
            "--postgres-url=" + db.jdbcUrl(),
            "--postgres-user=" + db.user(),
            "--postgres-password=" + db.password(),
            "--checkpoint-dir=" + checkpoints,
            "--trigger-interval=" + triggerInterval,
        }, Map.of());
        recorder = new ProgressRecorder(JdbcTarget.from(settings), Set.of(AnalyticsSchema.QUERY_NAME));
        spark.streams().addListener(recorder);
        start();
    }

    /** (Re)starts the query on its checkpoint. */
    public void start() {
        query = StreamingPipeline.start(spark, settings, stream.toDF());
    }

    /** Appends one chunk (one source offset) to Kafka's partition 0, where offsets count up across chunks. */
    public synchronized void send(List<TestMessage> messages) {
        send(messages, 0);
    }

    /** Appends one chunk of records of one Kafka partition, at the next offsets of that partition. */
    public synchronized void send(List<TestMessage> messages, int partition) {
        List<KafkaLikeRecord> records = new ArrayList<>();
        for (TestMessage message : messages) {
            long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
            records.add(new KafkaLikeRecord(message.payload(), TOPIC, partition, offset));
            sent.add(new SentMessage(message, partition, offset));
        }
        chunkEnds.add(sent.size());
        stream.addData(scala.jdk.javaapi.CollectionConverters.asScala(records).toSeq());
    }

    public void processAllAvailable() {
        query.processAllAvailable();
    }

    public SparkSession spark() {
        return spark;
    }

    public StreamingQuery query() {
        return query;
    }

    public String checkpointLocation() {
        return settings.checkpointLocation(AnalyticsSchema.QUERY_NAME);
    }

    /** Every message sent so far. */
    public synchronized List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** The messages of chunks 0..{@code sourceOffset}: what a batch ending at that MemoryStream offset has read. */
    public synchronized List<SentMessage> sentUpTo(long sourceOffset) {
        return List.copyOf(sent.subList(0, chunkEnds.get((int) sourceOffset)));
    }

    public void stop() {
        try {
            query.stop();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        spark.streams().removeListener(recorder);
        recorder.close();
    }
}
