package dev.shopstream.analytics.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.analytics.settings.Durations;
import dev.shopstream.analytics.settings.Setting;

/**
 * What a query's checkpoint was made with, written into it at its first start ({@value #FILE}) and checked at
 * every start after: the layout of its state, the window length and the watermark delay. Spark's state is keyed
 * by windows of one length and holds event ids for as long as one watermark delay keeps windows open; resumed
 * with other settings it would mix windows of two lengths or forget ids too early or too late, without a word.
 * So a start with other settings, or on a checkpoint of another layout (an earlier version of the job, which
 * wrote no manifest), is refused with what to do.
 *
 * <p>The manifest also names the checkpoint's lineage, a random id drawn when the checkpoint is made and kept for
 * its life. The sink adds each batch's sums to the rows of its own lineage and replaces the rows of any other
 * ({@code AnalyticsWriter}): a new checkpoint recomputes what it reads instead of adding to the counts of the old.
 */
public record CheckpointManifest(String layout, Duration window, Duration watermarkDelay) {

    public static final String FILE = "shopstream-checkpoint.json";
    /** The four queries of the job before 1.0, each with a checkpoint of its own beside today's one query. */
    static final List<String> FOUR_QUERY_LAYOUT = List.of("product_views", "category_activity", "category_revenue", "rejected_events");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINEAGE = "lineage";

    /**
     * Claims the query's checkpoint for this manifest: writes it into a new checkpoint, checks it against the
     * one an existing checkpoint holds.
     *
     * @param checkpointDir the root (CHECKPOINT_DIR), for the four-query layout's directories beside the query's
     * @param queryCheckpoint the query's own checkpoint, under the root
     * @return the checkpoint's lineage: the one its manifest holds, or a new one for a new checkpoint
     * @throws IllegalStateException naming what differs and what to do
     */
    public String claim(String checkpointDir, String queryCheckpoint, Configuration hadoop) {
        try {
            Path root = new Path(checkpointDir);
            FileSystem fs = root.getFileSystem(hadoop);
            List<String> oldQueries = new ArrayList<>();
            for (String query : FOUR_QUERY_LAYOUT) {
                if (fs.exists(new Path(root, query))) {
                    oldQueries.add(query);
                }
            }
            if (!oldQueries.isEmpty()) {
                throw refusal(checkpointDir, "checkpoints of the old four-query layout (" + String.join(", ", oldQueries) + ")");
            }
            Path query = new Path(queryCheckpoint);
            Path file = new Path(query, FILE);
            if (fs.exists(file)) {
                JsonNode made = readJson(fs, file);
                check(checkpointDir, manifestOf(made));
                return made.path(LINEAGE).asText();
            } else if (hasBatches(fs, new Path(query, "offsets"))) {
                throw refusal(checkpointDir, "a checkpoint of an earlier version of the job (its state is laid out otherwise)");
            } else {
                String lineage = UUID.randomUUID().toString();
                write(fs, file, lineage);
                return lineage;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the manifest of the checkpoint " + queryCheckpoint + ": " + e.getMessage(), e);
        }
    }

    private void check(String checkpointDir, CheckpointManifest made) {
        if (!made.layout.equals(layout)) {
            throw refusal(checkpointDir, "a checkpoint of another version of the job (state layout '" + made.layout
                    + "', this job's is '" + layout + "')");
        }
        Map<Setting, String[]> differences = new LinkedHashMap<>();
        if (!made.window.equals(window)) {
            differences.put(Setting.WINDOW_DURATION, new String[] {Durations.format(made.window), Durations.format(window)});
        }
        if (!made.watermarkDelay.equals(watermarkDelay)) {
            differences.put(Setting.WATERMARK_DELAY, new String[] {Durations.format(made.watermarkDelay), Durations.format(watermarkDelay)});
        }
        if (differences.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(Setting.CHECKPOINT_DIR.label() + " " + checkpointDir + " was made with ");
        List<String> made1 = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        differences.forEach((setting, values) -> {
            made1.add(setting.envName() + "=" + values[0]);
            asked.add(setting.envName() + "=" + values[1]);
        });
        message.append(String.join(" and ", made1)).append("; this start asks for ").append(String.join(" and ", asked))
                .append(". Its state is keyed by those windows and watermark, so it cannot go on with others. Either start the job"
                        + " with the checkpoint's settings, or point " + Setting.CHECKPOINT_DIR.envName() + " at a new, empty"
                        + " directory: docs/operations.md, \"A new checkpoint\", says what that recomputes and what it cannot.");
        throw new IllegalStateException(message.toString());
    }

    private static IllegalStateException refusal(String checkpointDir, String what) {
        return new IllegalStateException(Setting.CHECKPOINT_DIR.label() + " " + checkpointDir + " holds " + what
                + ", which this job cannot resume. Point " + Setting.CHECKPOINT_DIR.envName() + " at a new, empty directory (or"
                + " delete the old one): docs/operations.md, \"A new checkpoint\", says what the job then recomputes and what it cannot.");
    }

    private static boolean hasBatches(FileSystem fs, Path offsets) throws IOException {
        if (!fs.exists(offsets)) {
            return false;
        }
        for (FileStatus entry : fs.listStatus(offsets)) {
            if (entry.getPath().getName().matches("\\d+")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode readJson(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return JSON.readTree(in);
        }
    }

    private static CheckpointManifest manifestOf(JsonNode json) {
        return new CheckpointManifest(json.path("layout").asText(), Duration.parse(json.path("window").asText()),
                Duration.parse(json.path("watermark_delay").asText()));
    }

    private void write(FileSystem fs, Path file, String lineage) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("layout", layout);
        fields.put("window", window.toString());
        fields.put("watermark_delay", watermarkDelay.toString());
        fields.put(LINEAGE, lineage);
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fields).getBytes(StandardCharsets.UTF_8));
        }
    }
}
