package dev.shopstream.analytics.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.analytics.settings.JobSettings;

/** The job refuses the checkpoints of earlier layouts, and says how to move on. */
class LegacyCheckpointsTest {

    @TempDir
    Path checkpoints;

    @Test
    void shouldRefuseCheckpointDirectoryOfTheFourQueryLayoutNamingWhatToDo() throws Exception {
        Files.createDirectories(checkpoints.resolve("product_views/offsets"));
        Files.createDirectories(checkpoints.resolve("rejected_events/offsets"));

        assertThatThrownBy(() -> LegacyCheckpoints.refuse(settings(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CHECKPOINT_DIR (--checkpoint-dir) " + checkpoints)
                .hasMessageContaining("old four-query layout (product_views, rejected_events)")
                .hasMessageContaining("Point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldAcceptAnEmptyOrCurrentCheckpointDirectory() throws Exception {
        assertThatCode(() -> LegacyCheckpoints.refuse(settings(), new Configuration())).doesNotThrowAnyException();
        Files.createDirectories(checkpoints.resolve(StreamingPipeline.QUERY_NAME + "/offsets"));
        assertThatCode(() -> LegacyCheckpoints.refuse(settings(), new Configuration())).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseCheckpointOfTheOneQueryLayoutWithTheInHeapStoreNamingWhatToDo() throws Exception {
        offsetLogEntry(3, "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider");
        offsetLogEntry(4, "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider");

        assertThatThrownBy(() -> LegacyCheckpoints.refuse(settings(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("earlier one-query layout (" + StreamingPipeline.QUERY_NAME + ", de-duplicated in Spark's in-heap state store)")
                .hasMessageContaining("Point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldRefuseCheckpointOfTheOneQueryLayoutWithTwoStatefulOperatorsNamingWhatToDo() throws Exception {
        offsetLogEntry(0, StateStoreChoice.ROCKSDB);
        Files.createDirectories(checkpoints.resolve(StreamingPipeline.QUERY_NAME + "/state/0/0"));
        Files.createDirectories(checkpoints.resolve(StreamingPipeline.QUERY_NAME + "/state/1/0"));

        assertThatThrownBy(() -> LegacyCheckpoints.refuse(settings(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("earlier one-query layout (" + StreamingPipeline.QUERY_NAME
                        + ", de-duplicated by event_id in a stateful operator of its own)")
                .hasMessageContaining("Point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldResumeACheckpointStartedWithRocksDb() throws Exception {
        offsetLogEntry(0, StateStoreChoice.ROCKSDB);
        offsetLogEntry(1, StateStoreChoice.ROCKSDB);
        Files.createDirectories(checkpoints.resolve(StreamingPipeline.QUERY_NAME + "/state/0/0"));

        assertThatCode(() -> LegacyCheckpoints.refuse(settings(), new Configuration())).doesNotThrowAnyException();
    }

    /** An entry of the query's offset log as Spark writes it: version, metadata with the session's conf, offsets. */
    private void offsetLogEntry(long batchId, String storeClass) throws Exception {
        Path offsets = Files.createDirectories(checkpoints.resolve(StreamingPipeline.QUERY_NAME + "/offsets"));
        Files.writeString(offsets.resolve(Long.toString(batchId)), "v1\n"
                + "{\"batchWatermarkMs\":0,\"batchTimestampMs\":1764000000000,\"conf\":{\"spark.sql.streaming.stateStore.providerClass\":\""
                + storeClass + "\",\"spark.sql.shuffle.partitions\":\"2\"}}\n"
                + "{\"user_events\":{\"0\":" + (batchId * 10) + "}}");
    }

    private JobSettings settings() {
        return JobSettings.fromArgs(new String[] {"--checkpoint-dir=" + checkpoints}, Map.of());
    }
}
