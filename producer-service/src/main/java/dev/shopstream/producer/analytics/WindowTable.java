package dev.shopstream.producer.analytics;

import java.util.Arrays;
import java.util.List;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;

/** The three analytics tables the job writes: each a window, a key and a value. */
public enum WindowTable {
    PRODUCT_VIEWS(AnalyticsSchema.PRODUCT_VIEW_WINDOW, EventContract.PRODUCT_ID, AnalyticsSchema.VIEW_COUNT),
    CATEGORY_ACTIVITY(AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, EventContract.CATEGORY, AnalyticsSchema.EVENT_COUNT),
    CATEGORY_REVENUE(AnalyticsSchema.CATEGORY_REVENUE_WINDOW, EventContract.CATEGORY, AnalyticsSchema.TOTAL_REVENUE);

    /** Known, fixed SQL identifiers: only values, never names, come from requests. */
    final String table;
    final String keyColumn;
    final String valueColumn;

    WindowTable(String table, String keyColumn, String valueColumn) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.valueColumn = valueColumn;
    }

    /** The tables' names, in this order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(t -> t.table).toList();
    }
}
