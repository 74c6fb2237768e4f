package dev.shopstream.bench;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.pipeline.StreamingPipeline;

/**
 * Figure 2's floor of Spark itself, in a cold JVM of its own on the job's classpath: the same Spark session and Kafka
 * source as the job, the whole topic once as a stream (Trigger.AvailableNow) into Spark's noop sink, either only
 * reading the records ({@value #READ}) or also parsing and judging them with the job's parser ({@value #PARSE}). No
 * shuffle, no state, no database: no design of the job on Spark can be faster than these. Prints one
 * {@value #RESULT} line.
 *
 * <p>Arguments: bootstrap servers, topic, {@value #READ} or {@value #PARSE}, a scratch directory.
 */
public final class SparkFloor {

    static final String RESULT = "FLOOR_RESULT";
    static final String READ = "read";
    static final String PARSE = "parse";

    private SparkFloor() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[2];
        SparkSession spark = SparkSession.builder().appName("shopstream-spark-floor").master("local[*]")
                .config("spark.sql.shuffle.partitions", 2)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", false)
                .getOrCreate();
        Dataset<Row> kafka = spark.readStream().format("kafka").option("kafka.bootstrap.servers", args[0]).option("subscribe", args[1])
                .option("startingOffsets", "earliest").option("kafka.fetch.max.wait.ms", String.valueOf(StreamingPipeline.FETCH_MAX_WAIT_MS)).load();
        Dataset<Row> out = mode.equals(PARSE) ? EventParser.parse(kafka).filter(col(EventParser.REJECT_REASON).isNull()) : kafka.select(col("value"));
        StreamingQuery query = out.writeStream().format("noop").option("checkpointLocation", args[3])
                .trigger(Trigger.AvailableNow()).start();
        query.awaitTermination();
        long records = 0;
        for (StreamingQueryProgress progress : query.recentProgress()) {
            records += progress.numInputRows();
        }
        long end = System.currentTimeMillis();
        spark.stop();
        System.out.println(RESULT + " mode=" + mode + " events=" + records + " end_epoch_ms=" + end + " peak_rss_kib="
                + Bench.vmHwmKib(ProcessHandle.current().pid()));
        System.out.flush();
    }
}
