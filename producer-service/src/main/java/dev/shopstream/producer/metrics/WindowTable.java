package dev.shopstream.producer.metrics;

import dev.shopstream.contract.AnalyticsSchema.ResultTable;

/** The three analytics tables the job writes: each a window, a key and a value, as the contract names them. */
enum WindowTable {
    PRODUCT_VIEWS(ResultTable.PRODUCT_VIEWS),
    CATEGORY_ACTIVITY(ResultTable.CATEGORY_ACTIVITY),
    CATEGORY_REVENUE(ResultTable.CATEGORY_REVENUE);

    /** Known, fixed SQL identifiers: only values, never names, come from requests. */
    final String table;
    final String keyColumn;
    final String valueColumn;

    WindowTable(ResultTable names) {
        this.table = names.table();
        this.keyColumn = names.keyColumn();
        this.valueColumn = names.valueColumn();
    }
}
