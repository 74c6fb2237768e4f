package dev.shopstream.analytics.audit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.PriceInCents;
import dev.shopstream.contract.ReferenceAnalytics;
import dev.shopstream.contract.ReferenceAnalytics.Judged;
import dev.shopstream.contract.ValidEvent;

/**
 * The audit's recompute, independent of the stream's parse and aggregation: each record read is judged and
 * counted by the contract's oracle ({@link ReferenceAnalytics#read}) with the late watermark of the batch that read
 * it, prices judged by the contract's second price rule ({@link PriceInCents}, while the job's parser calls
 * {@code EventRules.price}: no single function decides both). The late records are kept with their position.
 */
final class OracleRecompute implements KafkaRangeReader.RecordSink {

    private final ReferenceAnalytics oracle;
    private final Duration window;
    private final List<LateRecord> late = new ArrayList<>();
    /** The counted events' fine totals (window, product, category), kept only for a fold, which rewrites window_totals. */
    private final Map<List<Object>, long[]> counts;
    private final Map<List<Object>, BigDecimal> revenue;
    private long records;

    OracleRecompute(Duration window, boolean keepTotals) {
        this.oracle = ReferenceAnalytics.withPriceRule(window, PriceInCents::price);
        this.window = window;
        this.counts = keepTotals ? new TreeMap<>(OracleRecompute::compareKeys) : null;
        this.revenue = keepTotals ? new TreeMap<>(OracleRecompute::compareKeys) : null;
    }

    @Override
    public void accept(BatchRange range, long offset, String value) {
        records++;
        Judged judged = oracle.read(value, range.topic(), range.partition(), offset, range.watermark());
        switch (judged.fate()) {
            case LATE -> late.add(LateRecord.of(judged.event(), range, offset, oracle.windowStartOf(judged.event().eventTime()), window,
                    judged.alreadyCounted()));
            case COUNTED -> {
                if (counts != null) {
                    addTotals(judged.event());
                }
            }
            default -> {
                // duplicates and rejects count in no window
            }
        }
    }

    ReferenceAnalytics oracle() {
        return oracle;
    }

    List<LateRecord> late() {
        return late;
    }

    long records() {
        return records;
    }

    /**
     * The fine totals of the given windows as the stream writes them to window_totals (window_start, window_end,
     * product_id, category, view_count, event_count, purchase_count, total_revenue): the counted events and the late
     * events their windows lost. For a fold only.
     */
    List<Row> totalsOf(Set<Instant> windows) {
        for (LateRecord r : AuditComparison.lostByTheirWindows(late)) {
            addTotals(new ValidEvent(r.eventId(), r.eventType(), null, r.productId(), r.category(), r.price(), r.eventTime()));
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            Instant start = (Instant) key.get(0);
            if (windows.contains(start)) {
                rows.add(RowFactory.create(start, start.plus(window), key.get(1), key.get(2), c[0], c[1], c[2], revenue.get(key)));
            }
        });
        return rows;
    }

    private void addTotals(ValidEvent event) {
        List<Object> key = List.of(oracle.windowStartOf(event.eventTime()), event.productId(), event.category());
        long[] c = counts.computeIfAbsent(key, k -> new long[3]);
        c[0] += EventContract.PRODUCT_VIEW.equals(event.eventType()) ? 1 : 0;
        c[1] += 1;
        boolean purchase = EventContract.PURCHASE.equals(event.eventType());
        c[2] += purchase ? 1 : 0;
        revenue.merge(key, purchase ? event.price() : BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private static int compareKeys(List<Object> a, List<Object> b) {
        int byStart = ((Instant) a.get(0)).compareTo((Instant) b.get(0));
        if (byStart != 0) {
            return byStart;
        }
        int byProduct = ((String) a.get(1)).compareTo((String) b.get(1));
        return byProduct != 0 ? byProduct : ((String) a.get(2)).compareTo((String) b.get(2));
    }
}
