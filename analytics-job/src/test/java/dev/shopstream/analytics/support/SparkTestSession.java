package dev.shopstream.analytics.support;

import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for all the unit tests of a JVM: starting one costs seconds. Two cores and two
 * shuffle partitions, no UI; Spark's scratch space under target/ so that a killed run leaves no litter in /tmp.
 */
public final class SparkTestSession {

    private static SparkSession session;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            configureSparkProperties();
            session = SparkSession.builder()
                    .appName("analytics-job-tests")
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
        }
        return session;
    }

    /**
     * Spark properties read by every session the tests start, including the job's own when it runs in-process:
     * no web UI, scratch space under target/.
     */
    public static void configureSparkProperties() {
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.local.dir", scratchDir().toString());
    }

    public static Path scratchDir() {
        return Path.of("target", "spark-scratch").toAbsolutePath();
    }
}
