package dev.shopstream.analytics.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shopstream.testsupport.ProjectLayout;

/** A checkpoint knows what it was made with, and the job refuses to resume it with anything else. */
class CheckpointManifestTest {

    private static final String QUERY = "shop_analytics";
    private static final CheckpointManifest TODAY = new CheckpointManifest("layout-b", Duration.ofMinutes(2), Duration.ofMinutes(1));

    @TempDir
    Path checkpoints;

    @Test
    void shouldRecordTheSettingsInANewCheckpoint() throws Exception {
        TODAY.claim(root(), query(), new Configuration());

        assertThat(Files.readString(checkpoints.resolve(QUERY).resolve(CheckpointManifest.FILE)))
                .contains("\"layout\" : \"layout-b\"", "\"window\" : \"PT2M\"", "\"watermark_delay\" : \"PT1M\"");
    }

    @Test
    void shouldResumeACheckpointMadeWithTheSameSettings() {
        TODAY.claim(root(), query(), new Configuration());

        assertThatCode(() -> TODAY.claim(root(), query(), new Configuration())).doesNotThrowAnyException();
    }

    @Test
    void shouldKeepACheckpointsLineageAcrossStarts() {
        String made = TODAY.claim(root(), query(), new Configuration());

        assertThat(TODAY.claim(root(), query(), new Configuration())).isEqualTo(made);
    }

    @Test
    void shouldGiveEveryNewCheckpointALineageOfItsOwn(@TempDir Path other) {
        String first = TODAY.claim(root(), query(), new Configuration());

        String second = TODAY.claim(other.toString(), other.resolve(QUERY).toString(), new Configuration());

        assertThat(second).isNotBlank().isNotEqualTo(first);
    }

    @Test
    void shouldRefuseAnotherWindowDurationNamingBothAndWhatToDo() {
        TODAY.claim(root(), query(), new Configuration());
        CheckpointManifest fiveMinutes = new CheckpointManifest("layout-b", Duration.ofMinutes(5), Duration.ofMinutes(1));

        assertThatThrownBy(() -> fiveMinutes.claim(root(), query(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was made with WINDOW_DURATION=2m; this start asks for WINDOW_DURATION=5m")
                .hasMessageContaining("start the job with the checkpoint's settings, or point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldRefuseAnotherWatermarkDelay() {
        TODAY.claim(root(), query(), new Configuration());
        CheckpointManifest longerWatermark = new CheckpointManifest("layout-b", Duration.ofMinutes(2), Duration.ofMinutes(10));

        assertThatThrownBy(() -> longerWatermark.claim(root(), query(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WATERMARK_DELAY=1m; this start asks for WATERMARK_DELAY=10m");
    }

    @Test
    void shouldRefuseACheckpointOfAnotherStateLayout() {
        new CheckpointManifest("layout-a", Duration.ofMinutes(2), Duration.ofMinutes(1)).claim(root(), query(), new Configuration());

        assertThatThrownBy(() -> TODAY.claim(root(), query(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("state layout 'layout-a', this job's is 'layout-b'")
                .hasMessageContaining("Point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldRefuseACheckpointWithBatchesButNoManifest() throws Exception {
        Path offsets = Files.createDirectories(checkpoints.resolve(QUERY).resolve("offsets"));
        Files.writeString(offsets.resolve("0"), "v1\n{}\n{\"user_events\":{\"0\":10}}");

        assertThatThrownBy(() -> TODAY.claim(root(), query(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a checkpoint of an earlier version of the job");
    }

    @Test
    void shouldRefuseCheckpointDirectoryOfTheFourQueryLayoutNamingWhatToDo() throws Exception {
        Files.createDirectories(checkpoints.resolve("product_views/offsets"));
        Files.createDirectories(checkpoints.resolve("rejected_events/offsets"));

        assertThatThrownBy(() -> TODAY.claim(root(), query(), new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CHECKPOINT_DIR (--checkpoint-dir) " + checkpoints)
                .hasMessageContaining("old four-query layout (product_views, rejected_events)")
                .hasMessageContaining("Point CHECKPOINT_DIR at a new, empty directory");
    }

    @Test
    void shouldPointAtADocsSectionThatExists() throws Exception {
        TODAY.claim(root(), query(), new Configuration());
        CheckpointManifest fiveMinutes = new CheckpointManifest("layout-b", Duration.ofMinutes(5), Duration.ofMinutes(1));

        assertThatThrownBy(() -> fiveMinutes.claim(root(), query(), new Configuration()))
                .hasMessageContaining("docs/operations.md, \"A new checkpoint\"");
        assertThat(Files.readAllLines(ProjectLayout.locate().root().resolve("docs/operations.md")))
                .as("the section the refusal points at").contains("## A new checkpoint");
    }

    private String root() {
        return checkpoints.toString();
    }

    private String query() {
        return checkpoints.resolve(QUERY).toString();
    }
}
