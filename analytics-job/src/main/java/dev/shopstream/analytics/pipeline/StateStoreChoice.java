package dev.shopstream.analytics.pipeline;

import org.apache.spark.sql.SparkSession;

/**
 * The query's state lives in RocksDB, with changelog checkpointing. transformWithState (the de-duplication,
 * {@code EventDeduplicator}, the query's only stateful step) runs on no other store; RocksDB also avoids what the
 * default in-heap store costs per batch: a copy of the whole map into each new version. With
 * changelog checkpointing a batch writes only the keys it changed to the checkpoint, not a snapshot of the store.
 *
 * <p>Spark's RocksDB store counts its keys by reading each key before it writes or deletes it (a large share of the
 * store's native time in a profile, docs/benchmarks.md). Nothing here uses that count, so it is off.
 *
 * <p>Memory is bounded (one budget for all RocksDB instances of the JVM, memtables and block cache together), so
 * the job's resident size stays within its target whatever the state holds.
 */
final class StateStoreChoice {

    static final String PROVIDER = "spark.sql.streaming.stateStore.providerClass";
    static final String ROCKSDB = "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";
    private static final String PREFIX = "spark.sql.streaming.stateStore.rocksdb.";

    private StateStoreChoice() {
    }

    /** Sets the store on the session, leaving alone what spark-submit or the session already set. */
    static void apply(SparkSession spark) {
        setUnlessSet(spark, PROVIDER, ROCKSDB);
        setUnlessSet(spark, PREFIX + "changelogCheckpointing.enabled", "true");
        setUnlessSet(spark, PREFIX + "trackTotalNumberOfRows", "false");
        setUnlessSet(spark, PREFIX + "boundedMemoryUsage", "true");
        setUnlessSet(spark, PREFIX + "maxMemoryUsageMB", "128");
    }

    private static void setUnlessSet(SparkSession spark, String key, String value) {
        if (!spark.conf().contains(key)) {
            spark.conf().set(key, value);
        }
    }
}
