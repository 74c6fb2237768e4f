package dev.shopstream.analytics.pipeline;

import java.util.function.BiFunction;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;

import dev.shopstream.analytics.events.EventParser;
import dev.shopstream.analytics.sink.SinkTable;
import dev.shopstream.analytics.windows.WindowAggregations;
import dev.shopstream.analytics.windows.WindowSpec;

/**
 * The job's streaming queries, each reading the topic itself and writing one table. Separate queries rather
 * than one: each has its own checkpoint and state, and runs its batches independently of the others.
 */
public enum AnalyticsQuery {
    PRODUCT_VIEWS("product_views", SinkTable.productViewWindow(), OutputMode.Update(),
            (parsed, spec) -> WindowAggregations.productViews(EventParser.validEvents(parsed), spec)),
    CATEGORY_ACTIVITY("category_activity", SinkTable.categoryActivityWindow(), OutputMode.Update(),
            (parsed, spec) -> WindowAggregations.categoryActivity(EventParser.validEvents(parsed), spec)),
    CATEGORY_REVENUE("category_revenue", SinkTable.categoryRevenueWindow(), OutputMode.Update(),
            (parsed, spec) -> WindowAggregations.categoryRevenue(EventParser.validEvents(parsed), spec)),
    /** Stateless: every rejected record, once, by its Kafka position. */
    REJECTED_EVENTS("rejected_events", SinkTable.rejectedEvents(), OutputMode.Append(),
            (parsed, spec) -> EventParser.rejectedEvents(parsed));

    private final String queryName;
    private final SinkTable table;
    private final OutputMode outputMode;
    private final BiFunction<Dataset<Row>, WindowSpec, Dataset<Row>> output;

    AnalyticsQuery(String queryName, SinkTable table, OutputMode outputMode,
                   BiFunction<Dataset<Row>, WindowSpec, Dataset<Row>> output) {
        this.queryName = queryName;
        this.table = table;
        this.outputMode = outputMode;
        this.output = output;
    }

    /** The streaming query's name: in logs, in stream_progress.query_name, and the checkpoint sub-directory. */
    public String queryName() {
        return queryName;
    }

    public SinkTable table() {
        return table;
    }

    /**
     * Update mode for the windows: a changed window is written within one trigger, carrying its full running
     * total, instead of once after the watermark has closed it (append mode, minutes later).
     */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** The query's result from parsed records ({@link EventParser#parse}). */
    public Dataset<Row> output(Dataset<Row> parsed, WindowSpec spec) {
        return output.apply(parsed, spec);
    }
}
