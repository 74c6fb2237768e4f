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

/** The job refuses the checkpoints of the old four-query layout, and says how to move on. */
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

    private JobSettings settings() {
        return JobSettings.fromArgs(new String[] {"--checkpoint-dir=" + checkpoints}, Map.of());
    }
}
