package dev.shopstream.flink;

import java.util.Properties;

import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Flink finds metric reporters through factories named in its configuration and listed as services. */
public final class LateDropReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new LateDropReporter();
    }
}
