package dev.shopstream.analytics.progress;

import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** One row of {@code stream_progress}: what one micro-batch of one query did. */
public record BatchProgress(
        String queryName,
        long batchId,
        Instant batchTime,
        long inputRows,
        double rowsPerSecond,
        long batchDurationMs,
        long lateRowsDropped,
        long rejectedRows,
        String endOffsets,
        String watermark) {

    public static BatchProgress from(StreamingQueryProgress progress) {
        double rate = progress.processedRowsPerSecond();
        return new BatchProgress(
                progress.name(),
                progress.batchId(),
                Instant.parse(progress.timestamp()),
                progress.numInputRows(),
                Double.isFinite(rate) ? rate : 0.0,
                progress.batchDuration(),
                lateRowsDropped(progress.stateOperators()),
                RejectMetrics.rejectedRows(progress),
                endOffsets(progress.sources()),
                progress.eventTime() == null ? null : progress.eventTime().get("watermark"));
    }

    /** Every stateful operator drops late rows itself (de-duplication first, then the window): summed. */
    static long lateRowsDropped(StateOperatorProgress[] operators) {
        return operators == null ? 0 : Arrays.stream(operators).mapToLong(StateOperatorProgress::numRowsDroppedByWatermark).sum();
    }

    /** The end offsets as Spark prints them, e.g. {"user_events":{"0":120,"1":98,"2":131}}; one source here. */
    static String endOffsets(SourceProgress[] sources) {
        if (sources == null || sources.length == 0) {
            return null;
        }
        if (sources.length == 1) {
            return sources[0].endOffset();
        }
        return Arrays.stream(sources).map(SourceProgress::endOffset).collect(Collectors.joining(",", "[", "]"));
    }

    /** The one log line per batch. */
    public String logLine() {
        return String.format("%s batch %d: %d rows in %d ms (%.0f rows/s), late %d, rejected %d, watermark %s, offsets %s",
                queryName, batchId, inputRows, batchDurationMs, rowsPerSecond, lateRowsDropped, rejectedRows,
                watermark, endOffsets);
    }
}
