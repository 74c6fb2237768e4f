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
import java.util.function.Predicate;

import dev.shopstream.contract.AnalyticsSchema.ResultTable;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.WindowKey;

/**
 * Per table, window and key: the table's value (stream), the independent recompute's (batch: the oracle's on-time
 * value plus every late event's), and the late part, the values of the late events not folded in, each event once
 * per Kafka partition and none of which another copy was counted. A key's rest {@code stream - (batch - late)} is
 * 0 when the table is right.
 */
final class AuditComparison {

    private static final int STREAM = 0;
    private static final int BATCH = 1;
    private static final int LATE = 2;

    /** table -> window start -> key -> [stream, batch, late]. */
    private final Map<ResultTable, Map<Instant, Map<String, BigDecimal[]>>> values = new EnumMap<>(ResultTable.class);
    private final Map<Instant, Instant> windowEnds = new TreeMap<>();
    /** window start -> late events counted in its late part. */
    private final Map<Instant, Long> lateEvents = new TreeMap<>();

    AuditComparison() {
        for (ResultTable table : ResultTable.values()) {
            values.put(table, new TreeMap<>());
        }
    }

    /** Rows: window_start, window_end, key, value. */
    void addStream(ResultTable table, List<Object[]> rows) {
        for (Object[] row : rows) {
            add(table, (Instant) row[0], (Instant) row[1], (String) row[2], STREAM, (BigDecimal) row[3]);
        }
    }

    /** The oracle's values of the records it counted (on time, each event once per partition). */
    void addOnTime(ReferenceAnalytics oracle) {
        oracle.productViews.forEach((k, v) -> add(ResultTable.PRODUCT_VIEWS, k, BATCH, BigDecimal.valueOf(v)));
        oracle.categoryActivity.forEach((k, v) -> add(ResultTable.CATEGORY_ACTIVITY, k, BATCH, BigDecimal.valueOf(v)));
        oracle.categoryRevenue.forEach((k, v) -> add(ResultTable.CATEGORY_REVENUE, k, BATCH, v));
    }

    /**
     * The late records: those whose window lost them (each event once per partition, none of which a copy was
     * counted) add to the batch value; the ones among them not folded in yet ({@code folded}: positions) are the
     * late part too.
     */
    void addLate(List<LateRecord> late, Set<String> folded) {
        for (LateRecord r : lostByTheirWindows(late)) {
            boolean missing = !folded.contains(AuditStore.position(r.topic(), r.partition(), r.offset()));
            if (missing) {
                lateEvents.merge(r.windowStart(), 1L, Long::sum);
            }
            addLate(ResultTable.CATEGORY_ACTIVITY, r, r.category(), BigDecimal.ONE, missing);
            if (r.isView()) {
                addLate(ResultTable.PRODUCT_VIEWS, r, r.productId(), BigDecimal.ONE, missing);
            }
            if (r.isPurchase()) {
                addLate(ResultTable.CATEGORY_REVENUE, r, r.category(), r.price(), missing);
            }
        }
    }

    /** The late records whose windows lost an event: none of which a copy was counted, each event once per partition. */
    static List<LateRecord> lostByTheirWindows(List<LateRecord> late) {
        Set<String> seen = new HashSet<>();
        return late.stream().filter(r -> !r.alreadyCounted() && seen.add(r.partitionAndId())).toList();
    }

    private void addLate(ResultTable table, LateRecord r, String key, BigDecimal amount, boolean missing) {
        add(table, r.windowStart(), r.windowEnd(), key, BATCH, amount);
        if (missing) {
            add(table, r.windowStart(), r.windowEnd(), key, LATE, amount);
        }
    }

    private void add(ResultTable table, WindowKey key, int column, BigDecimal amount) {
        add(table, key.windowStart(), key.windowEnd(), key.key(), column, amount);
    }

    private void add(ResultTable table, Instant start, Instant end, String key, int column, BigDecimal amount) {
        windowEnds.putIfAbsent(start, end);
        BigDecimal[] cell = values.get(table).computeIfAbsent(start, s -> new TreeMap<>())
                .computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
        cell[column] = cell[column].add(amount);
    }

    /**
     * One result per checked window seen anywhere (the tables, the recompute, the late records) and table; a
     * table without rows in a window has 0 on every side.
     */
    List<WindowResult> results(Predicate<Instant> checked) {
        List<WindowResult> results = new ArrayList<>();
        for (Map.Entry<Instant, Instant> window : windowEnds.entrySet()) {
            if (!checked.test(window.getKey())) {
                continue;
            }
            for (ResultTable table : ResultTable.values()) {
                Map<String, BigDecimal[]> keys = values.get(table).getOrDefault(window.getKey(), Map.of());
                BigDecimal stream = BigDecimal.ZERO;
                BigDecimal batch = BigDecimal.ZERO;
                BigDecimal late = BigDecimal.ZERO;
                BigDecimal unexplained = BigDecimal.ZERO;
                int mismatched = 0;
                String first = null;
                for (Map.Entry<String, BigDecimal[]> key : keys.entrySet()) {
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
