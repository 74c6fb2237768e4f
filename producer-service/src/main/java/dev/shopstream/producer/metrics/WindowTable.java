package dev.shopstream.producer.metrics;

/** The three analytics tables the job writes: each a window, a key and a value. */
enum WindowTable {
    PRODUCT_VIEWS("product_view_window", "product_id", "view_count"),
    CATEGORY_ACTIVITY("category_activity_window", "category", "event_count"),
    CATEGORY_REVENUE("category_revenue_window", "category", "total_revenue");

    /** Known, fixed SQL identifiers: only values, never names, come from requests. */
    final String table;
    final String keyColumn;
    final String valueColumn;

    WindowTable(String table, String keyColumn, String valueColumn) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.valueColumn = valueColumn;
    }
}
