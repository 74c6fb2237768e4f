package dev.shopstream.analytics.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.spark.sql.Row;

import dev.shopstream.analytics.sink.DerivedTable;

/**
 * Per table, window and key: the table's value (stream), the batch recompute's (batch), and the late part, the
 * values of the late events not folded in, each event once (by event_id) and none of which another copy was
 * counted. A key's rest {@code stream - (batch - late)} is 0 when the table is right.
 */
final class AuditComparison {

    private static final int STREAM = 0;
    private static final int BATCH = 1;
    private static final int LATE = 2;

    /** table -> window start -> key -> [stream, batch, late]. */
    private final Map<DerivedTable, Map<Instant, Map<String, BigDecimal[]>>> values = new EnumMap<>(DerivedTable.class);
    private final Map<Instant, Instant> windowEnds = new TreeMap<>();
    /** window start -> late events counted in its late part. */
    private final Map<Instant, Long> lateEvents = new TreeMap<>();

    AuditComparison() {
        for (DerivedTable table : DerivedTable.values()) {
            values.put(table, new TreeMap<>());
        }
    }

    /** Rows: window_start, window_end, key, value. */
    void addStream(DerivedTable table, List<Object[]> rows) {
        for (Object[] row : rows) {
            add(table, (Instant) row[0], (Instant) row[1], (String) row[2], STREAM, (BigDecimal) row[3]);
        }
    }

    /** Spark rows of the batch recompute: window_start, window_end, key, value (long or decimal). */
    void addBatch(DerivedTable table, List<Row> rows) {
        for (Row row : rows) {
            Object value = row.get(3);
            BigDecimal amount = value instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) value).longValue());
            add(table, AuditStore.instant(row.get(0)), AuditStore.instant(row.get(1)), row.getString(2), BATCH, amount);
        }
    }

    /** The late records still missing from the tables. */
    void addLate(List<LateRecord> late) {
        Set<String> seen = new HashSet<>();
        for (LateRecord r : late) {
            if (r.alreadyCounted() || !seen.add(r.eventId())) {
                continue;
            }
            lateEvents.merge(r.windowStart(), 1L, Long::sum);
            if (r.isView()) {
                add(DerivedTable.PRODUCT_VIEWS, r.windowStart(), r.windowEnd(), r.productId(), LATE, BigDecimal.ONE);
            }
            add(DerivedTable.CATEGORY_ACTIVITY, r.windowStart(), r.windowEnd(), r.category(), LATE, BigDecimal.ONE);
            if (r.isPurchase()) {
                add(DerivedTable.CATEGORY_REVENUE, r.windowStart(), r.windowEnd(), r.category(), LATE, r.price());
            }
        }
    }

    private void add(DerivedTable table, Instant start, Instant end, String key, int column, BigDecimal amount) {
        windowEnds.putIfAbsent(start, end);
        BigDecimal[] cell = values.get(table).computeIfAbsent(start, s -> new TreeMap<>())
                .computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
        cell[column] = cell[column].add(amount);
    }

    /** One result per window seen anywhere and table (a table without rows in a window has 0 on every side). */
    List<WindowResult> results() {
        List<WindowResult> results = new ArrayList<>();
        for (Map.Entry<Instant, Instant> window : windowEnds.entrySet()) {
            for (DerivedTable table : DerivedTable.values()) {
                Map<String, BigDecimal[]> keys = values.get(table).getOrDefault(window.getKey(), Map.of());
                BigDecimal stream = BigDecimal.ZERO;
                BigDecimal batch = BigDecimal.ZERO;
                BigDecimal late = BigDecimal.ZERO;
                BigDecimal unexplained = BigDecimal.ZERO;
                int mismatched = 0;
                String first = null;
                for (Map.Entry<String, BigDecimal[]> key : new TreeMap<>(keys).entrySet()) {
                    BigDecimal[] cell = key.getValue();
                    BigDecimal rest = cell[STREAM].subtract(cell[BATCH].subtract(cell[LATE]));
                    stream = stream.add(cell[STREAM]);
                    batch = batch.add(cell[BATCH]);
                    late = late.add(cell[LATE]);
                    unexplained = unexplained.add(rest);
                    if (rest.signum() != 0) {
                        mismatched++;
                        first = first == null ? key.getKey() + " " + rest.toPlainString() : first;
                    }
                }
                results.add(new WindowResult(window.getKey(), window.getValue(), table.table(), stream, batch, late,
                        lateEvents.getOrDefault(window.getKey(), 0L), unexplained, mismatched, first));
            }
        }
        return results;
    }
}
