package dev.shopstream.bench.fast;

import java.math.BigDecimal;

import dev.shopstream.bench.totals.AnalyticsTotals;
import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;
import dev.shopstream.contract.ValidEvent;

/**
 * One thread's three analytics in primitive hash maps, keyed by (window index, symbol id): views per product, events
 * per category, revenue per category in cents (exact: every accepted price is whole cents). Threads' counts are
 * summed at the end, which is right because each event_id is counted by one thread only ({@link DedupScope}).
 */
final class WindowCounts {

    static final long WINDOW_MILLIS = AnalyticsSchema.DEFAULT_WINDOW.toMillis();

    final SymbolTable products = new SymbolTable();
    final SymbolTable categories = new SymbolTable();
    final LongLongMap views = new LongLongMap(1 << 14);
    final LongLongMap activity = new LongLongMap(1 << 10);
    final LongLongMap revenueCents = new LongLongMap(1 << 10);

    /** An event from the fast path: the judge's buffers. */
    void add(FastEventJudge event) {
        long window = Math.floorDiv(event.epochMillis, WINDOW_MILLIS);
        int category = categories.id(event.text[FastEventJudge.CATEGORY], 0, event.length[FastEventJudge.CATEGORY]);
        activity.add(key(window, category), 1);
        if (event.eventType == FastEventJudge.VIEW) {
            views.add(key(window, products.id(event.text[FastEventJudge.PRODUCT_ID], 0, event.length[FastEventJudge.PRODUCT_ID])), 1);
        } else if (event.eventType == FastEventJudge.PURCHASE) {
            revenueCents.add(key(window, category), event.cents);
        }
    }

    /** An event the contract's own judge accepted (the rare records off the fast path). */
    void add(ValidEvent event) {
        long window = Math.floorDiv(event.eventTime().toEpochMilli(), WINDOW_MILLIS);
        int category = categories.id(event.category());
        activity.add(key(window, category), 1);
        if (event.eventType().equals(EventContract.PRODUCT_VIEW)) {
            views.add(key(window, products.id(event.productId())), 1);
        } else if (event.eventType().equals(EventContract.PURCHASE)) {
            revenueCents.add(key(window, category), cents(event.price()));
        }
    }

    /** Adds these counts, by name, to the benchmark's totals. */
    void addTo(AnalyticsTotals totals) {
        views.forEach((key, count) -> {
            totals.addView(windowStartMillis(key), products.name(symbol(key)), count);
            return 0;
        });
        activity.forEach((key, count) -> {
            totals.addActivity(windowStartMillis(key), categories.name(symbol(key)), count);
            return 0;
        });
        revenueCents.forEach((key, cents) -> {
            totals.addRevenue(windowStartMillis(key), categories.name(symbol(key)), cents);
            return 0;
        });
    }

    private static long cents(BigDecimal price) {
        return price.movePointRight(2).longValueExact();
    }

    /** Window indexes from 1970 to 9999 fit in 31 bits, symbol ids in 32. */
    static long key(long window, int symbol) {
        return window << 32 | (symbol & 0xFFFF_FFFFL);
    }

    static long windowStartMillis(long key) {
        return (key >>> 32) * WINDOW_MILLIS;
    }

    static int symbol(long key) {
        return (int) key;
    }
}
