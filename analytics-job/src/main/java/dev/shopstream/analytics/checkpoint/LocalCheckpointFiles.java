package dev.shopstream.analytics.checkpoint;

import org.apache.spark.sql.SparkSession;

/**
 * Checkpoint files on a local disk without a process per file. Hadoop's local file system, lacking its native
 * library (which no Maven artifact carries), forks {@code chmod} for every file it creates and {@code readlink}
 * twice for every rename that Spark's default (FileContext) checkpoint manager does. A micro-batch writes about a
 * dozen files (offset and commit logs, each state store's changelog, their checksums), so the job's profile showed
 * dozens of processes started for every batch, each a fork of the job's large JVM (the count: docs/benchmarks.md).
 *
 * <p>So the job writes its checkpoints through Hadoop's FileSystem API (Spark's FileSystemBasedCheckpointFileManager:
 * write a temporary file, rename it) and the {@code file:} scheme is GlobalMentor's BareLocalFileSystem, Hadoop's
 * checksummed local file system with java.nio in place of every shell call. Other schemes (hdfs:, s3a: on a
 * cluster) are untouched by the second setting; the first only changes how a file is made atomic (rename of a
 * temporary file, which those file systems support as FileContext does).
 */
public final class LocalCheckpointFiles {

    /** Spark's Hadoop setting for the class of the {@code file:} scheme (spark.hadoop.* reaches every executor). */
    public static final String FILE_SCHEME_SPARK_KEY = "spark.hadoop.fs.file.impl";
    static final String FILE_SCHEME_KEY = "fs.file.impl";
    static final String BARE_LOCAL_FS = "com.globalmentor.apache.hadoop.fs.BareLocalFileSystem";
    static final String MANAGER_KEY = "spark.sql.streaming.checkpointFileManagerClass";
    static final String FILE_SYSTEM_MANAGER = "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager";

    private LocalCheckpointFiles() {
    }

    /** The value of {@link #FILE_SCHEME_SPARK_KEY}, for the session builder (before the SparkContext exists). */
    public static String fileSchemeClass() {
        return BARE_LOCAL_FS;
    }

    /** Applies both settings to a running session, leaving alone what spark-submit or the session already set. */
    public static void apply(SparkSession spark) {
        if (!spark.conf().contains(MANAGER_KEY)) {
            spark.conf().set(MANAGER_KEY, FILE_SYSTEM_MANAGER);
        }
        var hadoop = spark.sparkContext().hadoopConfiguration();
        if (hadoop.get(FILE_SCHEME_KEY) == null) {
            hadoop.set(FILE_SCHEME_KEY, BARE_LOCAL_FS);
        }
    }
}
