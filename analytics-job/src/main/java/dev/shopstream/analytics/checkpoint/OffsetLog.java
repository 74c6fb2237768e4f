package dev.shopstream.analytics.checkpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a query's offset log ({@code <checkpoint>/offsets/<batchId>}), the write-ahead record Spark writes
 * before it runs a batch: what the batch reads and the watermark it uses. Spark's own classes for it are
 * internal (they moved package in 4.x); the file is plain text: a version line ({@code v1}), the batch's
 * metadata as JSON ({@code batchWatermarkMs}, {@code batchTimestampMs}, ...), then one line per source with
 * its end offsets ({@code -} for a source without any). Read through Hadoop's FileSystem, so checkpoints on
 * HDFS or S3 work as local ones do.
 *
 * <p>Why not the listener's public progress ({@code QueryProgressEvent.progress().sources()[i].endOffset()}), which
 * has the same offsets as JSON: the batch's position is written IN the batch's own transaction
 * ({@code AnalyticsBatchSink}, inside foreachBatch), together with its totals, so that {@code stream_progress} says
 * exactly which records the tables hold (the audit finds each record's batch by it). Spark posts a
 * batch's progress to the listeners only after the batch has finished, foreachBatch and its commit included, and on
 * another thread: while the sink writes, no progress of that batch exists, and a batch replayed after a crash is run
 * again before any progress is posted. The offset log is written before the batch runs: it is the only record of
 * the running batch's offsets and watermark that exists while it runs. The listener ({@code ProgressRecorder}) adds only Spark's
 * figures afterwards.
 */
public final class OffsetLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String checkpointLocation;
    private final Configuration hadoop;

    public OffsetLog(String checkpointLocation, Configuration hadoop) {
        this.checkpointLocation = checkpointLocation;
        this.hadoop = hadoop;
    }

    /** The batch's position; its start offsets are the previous batch's end (null for the first batch). */
    public BatchPosition position(long batchId) {
        Entry entry = read(batchId);
        String start = batchId == 0 ? null : read(batchId - 1).sourceOffsets();
        return new BatchPosition(batchId, start, entry.sourceOffsets(), entry.watermark(), entry.batchTime());
    }

    private record Entry(String sourceOffsets, Instant watermark, Instant batchTime) {
    }

    private Entry read(long batchId) {
        Path file = new Path(checkpointLocation + "/offsets/" + batchId);
        List<String> lines = new ArrayList<>();
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (FSDataInputStream in = fs.open(file);
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the offset log entry " + file + ": " + e.getMessage(), e);
        }
        if (lines.size() < 3 || !lines.get(0).startsWith("v")) {
            throw new IllegalStateException("Unexpected offset log entry " + file + " (" + lines.size() + " lines)");
        }
        try {
            JsonNode metadata = JSON.readTree(lines.get(1));
            String offsets = lines.get(2).equals("-") ? null : lines.get(2);
            long watermarkMs = metadata.path("batchWatermarkMs").asLong(0);
            // 0 until the first batch with event times has run: no watermark yet.
            return new Entry(offsets, watermarkMs == 0 ? null : Instant.ofEpochMilli(watermarkMs),
                    Instant.ofEpochMilli(metadata.path("batchTimestampMs").asLong(0)));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable metadata in " + file + ": " + e.getMessage(), e);
        }
    }
}
