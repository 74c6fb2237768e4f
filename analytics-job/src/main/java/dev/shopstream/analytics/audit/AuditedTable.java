package dev.shopstream.analytics.audit;

import dev.shopstream.contract.AnalyticsSchema;
import dev.shopstream.contract.EventContract;

/**
 * The three result tables the audit checks, named from the contract only (not from the job's sink), with the
 * column holding each key and value.
 */
enum AuditedTable {
    PRODUCT_VIEWS(AnalyticsSchema.PRODUCT_VIEW_WINDOW, EventContract.PRODUCT_ID, AnalyticsSchema.VIEW_COUNT),
    CATEGORY_ACTIVITY(AnalyticsSchema.CATEGORY_ACTIVITY_WINDOW, EventContract.CATEGORY, AnalyticsSchema.EVENT_COUNT),
    CATEGORY_REVENUE(AnalyticsSchema.CATEGORY_REVENUE_WINDOW, EventContract.CATEGORY, AnalyticsSchema.TOTAL_REVENUE);

    private final String table;
    private final String keyColumn;
    private final String valueColumn;

    AuditedTable(String table, String keyColumn, String valueColumn) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.valueColumn = valueColumn;
    }

    String table() {
        return table;
    }

    String keyColumn() {
        return keyColumn;
    }

    String valueColumn() {
        return valueColumn;
    }
}
