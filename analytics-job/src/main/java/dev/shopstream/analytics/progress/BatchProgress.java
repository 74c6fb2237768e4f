package dev.shopstream.analytics.progress;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.spark.sql.streaming.SourceProgress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Spark's figures for one row of {@code stream_progress}: what one micro-batch of one query did. The row itself,
 * with the batch's offsets, watermark and rejected records, was written by the batch's own transaction.
 */
public record BatchProgress(
        String queryName,
        long batchId,
        long inputRows,
        double rowsPerSecond,
        long batchDurationMs,
        long lateRowsDropped,
        String endOffsets,
        String watermark,
        Long offsetsBehindLatest,
        String phases) {

    private static final ObjectMapper OFFSETS_JSON = new ObjectMapper();

    public static BatchProgress from(StreamingQueryProgress progress) {
        double rate = progress.processedRowsPerSecond();
        return new BatchProgress(
                progress.name(),
                progress.batchId(),
                progress.numInputRows(),
                Double.isFinite(rate) ? rate : 0.0,
                progress.batchDuration(),
                lateRowsDropped(progress.stateOperators()),
                endOffsets(progress.sources()),
                progress.eventTime() == null ? null : progress.eventTime().get("watermark"),
                offsetsBehindLatest(progress.sources()),
                phases(progress.durationMs()));
    }

    /**
     * Where the batch's time went, Spark's own breakdown (durationMs: addBatch is the batch's jobs and the sink,
     * walCommit and commitOffsets the checkpoint's offset and commit logs, queryPlanning, latestOffset...),
     * longest first: the log line says what a batch with no data spends its floor on.
     */
    static String phases(java.util.Map<String, Long> durationMs) {
        if (durationMs == null) {
            return "";
        }
        return durationMs.entrySet().stream()
                .filter(e -> !e.getKey().equals("triggerExecution") && e.getValue() != null && e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * The consumer lag after the batch: how many records the topic holds beyond what the batch read, summed
     * over partitions. Spark's Kafka source reports it as min/max/avg over partitions (avgOffsetsBehindLatest
     * times the partition count is the sum); null when the source did not report it.
     */
    static Long offsetsBehindLatest(SourceProgress[] sources) {
        if (sources == null) {
            return null;
        }
        long total = 0;
        boolean reported = false;
        for (SourceProgress source : sources) {
            String average = source.metrics() == null ? null : source.metrics().get("avgOffsetsBehindLatest");
            int partitions = partitionCount(source.endOffset());
            if (average != null && partitions > 0) {
                total += Math.round(Double.parseDouble(average) * partitions);
                reported = true;
            }
        }
        return reported ? total : null;
    }

    /** Partitions in Spark's offsets JSON ({"topic":{"0":12,"1":7}}). */
    private static int partitionCount(String offsetsJson) {
        if (offsetsJson == null) {
            return 0;
        }
        try {
            int partitions = 0;
            for (JsonNode topic : OFFSETS_JSON.readTree(offsetsJson)) {
                partitions += topic.size();
            }
            return partitions;
        } catch (java.io.IOException e) {
            return 0;
        }
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

    /**
     * The one log line per batch.
     *
     * @param rejectedRows as the batch's transaction counted them; null when its row could not be read
     */
    public String logLine(Long rejectedRows) {
        return String.format("%s batch %d: %d rows in %d ms (%.0f rows/s; %s), late %d, rejected %s, watermark %s, offsets %s, behind %s",
                queryName, batchId, inputRows, batchDurationMs, rowsPerSecond, phases, lateRowsDropped,
                rejectedRows == null ? "unknown" : rejectedRows, watermark, endOffsets, offsetsBehindLatest);
    }
}
