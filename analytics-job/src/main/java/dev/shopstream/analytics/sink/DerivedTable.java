package dev.shopstream.analytics.sink;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.AnalyticsSchema.ResultTable;
import dev.shopstream.contract.EventContract;

/**
 * The three tables of the seed design, each a sum of {@code window_totals} rows. The sink recomputes a table's
 * rows for the (window, key) pairs a batch changed, from ALL the stored totals of those pairs, never by adding
 * the batch's sums to it: a recompute reads the same for a batch of a new checkpoint, which replaces rows instead of
 * adding to them, and for the audit's fold, which rewrites them.
 */
public enum DerivedTable {
    PRODUCT_VIEWS(ResultTable.PRODUCT_VIEWS, AnalyticsSchema.VIEW_COUNT),
    CATEGORY_ACTIVITY(ResultTable.CATEGORY_ACTIVITY, AnalyticsSchema.EVENT_COUNT),
    CATEGORY_REVENUE(ResultTable.CATEGORY_REVENUE, AnalyticsSchema.PURCHASE_COUNT);

    final String table;
    final String keyColumn;
    final String valueColumn;
    /** A key has a row once this sums above zero: a product with views, a category with purchases. */
    final String presenceColumn;

    /** The table, its key and its value as the contract names them ({@link ResultTable}). */
    DerivedTable(ResultTable names, String presenceColumn) {
        this.table = names.table();
        this.keyColumn = names.keyColumn();
        this.valueColumn = names.valueColumn();
        this.presenceColumn = presenceColumn;
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    /** Its key besides the window: product_id or category. */
    public String keyColumn() {
        return keyColumn;
    }

    /** Where a row of window_totals (as the stream emits it) holds this table's key: product_id 2, category 3. */
    int keyIndex() {
        return keyColumn.equals(EventContract.PRODUCT_ID) ? 2 : 3;
    }

    /** Its value: view_count, event_count or total_revenue. */
    public String valueColumn() {
        return valueColumn;
    }

    /**
     * Recomputes the rows of the pairs given as two arrays (window starts, keys; distinct pairs) from
     * window_totals. A row whose value did not change is left alone, so updated_at says when a value last moved.
     */
    String recomputeSql() {
        return "INSERT INTO " + table + " AS t (window_start, window_end, " + keyColumn + ", " + valueColumn + ", updated_at) "
                + "SELECT w.window_start, max(w.window_end), w." + keyColumn + ", sum(w." + valueColumn + "), now() "
                + "FROM " + AnalyticsSchema.WINDOW_TOTALS + " w "
                + "WHERE (w.window_start, w." + keyColumn + ") IN (SELECT * FROM unnest(?::timestamptz[], ?::text[])) "
                + "GROUP BY w.window_start, w." + keyColumn + " "
                + "HAVING sum(w." + presenceColumn + ") > 0 "
                + "ON CONFLICT (window_start, " + keyColumn + ") DO UPDATE SET window_end = EXCLUDED.window_end, "
                + valueColumn + " = EXCLUDED." + valueColumn + ", updated_at = now() "
                + "WHERE t." + valueColumn + " IS DISTINCT FROM EXCLUDED." + valueColumn;
    }
}
