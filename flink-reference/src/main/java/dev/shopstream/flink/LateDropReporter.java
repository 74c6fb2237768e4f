package dev.shopstream.flink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Keeps every window operator's count of records it dropped as late (Flink's {@value #LATE_DROPS} counter), so the
 * benchmark can explain totals below the oracle's by the watermark, as it does for the Spark job. Registered in the
 * MiniCluster's configuration by {@link FlinkSqlReference}; the counters stay readable after the job has finished.
 */
public final class LateDropReporter implements MetricReporter {

    static final String LATE_DROPS = "numLateRecordsDropped";

    /** Operator name -> its subtasks' counters. */
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (LATE_DROPS.equals(metricName) && metric instanceof Counter counter) {
            String operator = group.getAllVariables().getOrDefault("<operator_name>", "?");
            COUNTERS.computeIfAbsent(operator, k -> new CopyOnWriteArrayList<>()).add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // Kept on purpose: the totals are read once the job has finished and its operators are gone.
    }

    /** Late drops per window operator (summed over its subtasks). */
    static Map<String, Long> byOperator() {
        Map<String, Long> sums = new java.util.TreeMap<>();
        COUNTERS.forEach((operator, counters) -> sums.put(operator, counters.stream().mapToLong(Counter::getCount).sum()));
        return sums;
    }
}
