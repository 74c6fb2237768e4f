package dev.shopstream.analytics.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shopstream.contract.AnalyticsSchema;

/**
 * The query's batches as Kafka ranges, from {@code stream_progress} (each row's start and end offsets, Spark's
 * Kafka JSON {@code {"topic":{"0":42,...}}}, and the watermark it applied, all written in the batch's own
 * transaction). Which batch read a record, hence whether it was late, follows from its Kafka position alone.
 */
public final class BatchRanges {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SELECT = "SELECT batch_id, start_offsets, end_offsets, watermark FROM " + AnalyticsSchema.STREAM_PROGRESS + " "
            + "WHERE query_name = ? AND end_offsets IS NOT NULL ORDER BY batch_id";

    /**
     * A stream_progress row, as the audit reads it. {@code watermark} is the one the batch ran with (its state
     * eviction, and what closes windows); {@code lateWatermark} the one Spark judged its records late by: the
     * previous batch's (Spark 3.4+ filters late input with the watermark of the previous micro-batch, so that
     * chained stateful operators agree), null for batch 0.
     */
    public record Batch(long batchId, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, Instant watermark,
                        Instant lateWatermark) {
    }

    public record TopicPartition(String topic, int partition) {
    }

    private final List<Batch> batches;

    BatchRanges(List<Batch> batches) {
        this.batches = List.copyOf(batches);
    }

    public static BatchRanges load(Connection connection, String queryName) throws SQLException {
        List<Batch> batches = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setString(1, queryName);
            try (ResultSet rs = statement.executeQuery()) {
                Batch previous = null;
                while (rs.next()) {
                    long batchId = rs.getLong(1);
                    Timestamp stored = rs.getTimestamp(4);
                    Instant watermark = stored == null ? null : stored.toInstant();
                    Batch batch = new Batch(batchId, offsets(rs.getString(2)), offsets(rs.getString(3)), watermark,
                            lateWatermark(batchId, previous, watermark));
                    batches.add(batch);
                    previous = batch;
                }
            }
        }
        return new BatchRanges(batches);
    }

    /**
     * The previous batch's watermark; none before batch 0. Without the previous row (a gap, which
     * {@link #retainedFrom} leaves out of the audit anyway) the batch's own, the nearest one known.
     */
    static Instant lateWatermark(long batchId, Batch previous, Instant own) {
        if (batchId == 0) {
            return null;
        }
        return previous != null && previous.batchId() == batchId - 1 ? previous.watermark() : own;
    }

    public List<Batch> batches() {
        return batches;
    }

    public Optional<Batch> newest() {
        return batches.isEmpty() ? Optional.empty() : Optional.of(batches.get(batches.size() - 1));
    }

    /**
     * The batches from the first one whose records are all still in Kafka ({@code earliest}: the first retained
     * offset of each partition) and whose predecessors all have a row: the audit reads only these.
     */
    public BatchRanges retainedFrom(Map<TopicPartition, Long> earliest) {
        int first = 0;
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            boolean gap = i > 0 && batches.get(i - 1).batchId() != batch.batchId() - 1;
            boolean trimmed = earliest.entrySet().stream()
                    .anyMatch(e -> startOf(batch, e.getKey()) < e.getValue());
            if (gap || trimmed || (i == 0 && batch.batchId() != 0 && batch.start().isEmpty())) {
                first = i + 1;
            }
        }
        return new BatchRanges(batches.subList(Math.min(first, batches.size()), batches.size()));
    }

    /** The batches from {@code from} to {@code to}, both included. */
    public BatchRanges between(long from, long to) {
        return new BatchRanges(batches.stream().filter(b -> b.batchId() >= from && b.batchId() <= to).toList());
    }

    /** How many Kafka records the batch read. */
    static long records(Batch batch) {
        return batch.end().entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - startOf(batch, e.getKey()))).sum();
    }

    /** The per-partition ranges, one per batch and partition that read something. */
    public List<BatchRange> ranges() {
        List<BatchRange> ranges = new ArrayList<>();
        for (Batch batch : batches) {
            for (Map.Entry<TopicPartition, Long> end : batch.end().entrySet()) {
                long start = startOf(batch, end.getKey());
                if (end.getValue() > start) {
                    ranges.add(new BatchRange(batch.batchId(), end.getKey().topic(), end.getKey().partition(), start,
                            end.getValue(), batch.lateWatermark()));
                }
            }
        }
        return ranges;
    }

    /** A partition missing from the start offsets (the first batch, a new partition) starts at 0. */
    private static long startOf(Batch batch, TopicPartition partition) {
        return batch.start().getOrDefault(partition, 0L);
    }

    static Map<TopicPartition, Long> offsets(String json) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return offsets;
        }
        try {
            JsonNode root = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = topics.next();
                for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
                    Map.Entry<String, JsonNode> part = parts.next();
                    offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(part.getKey())), part.getValue().asLong());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable Kafka offsets in " + AnalyticsSchema.STREAM_PROGRESS + ": " + json, e);
        }
        return offsets;
    }

    /** Spark's JSON offsets of a batch's end, as stream_progress keeps them. */
    static String toJson(Map<TopicPartition, Long> offsets) {
        Map<String, Map<String, Long>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new LinkedHashMap<>())
                .put(Integer.toString(tp.partition()), offset));
        try {
            return JSON.writeValueAsString(byTopic);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
