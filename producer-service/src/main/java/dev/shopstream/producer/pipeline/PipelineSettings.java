package dev.shopstream.producer.pipeline;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code pipeline.*} keys of application.properties: how the service judges and reports the job's health. */
@ConfigMapping(prefix = "pipeline")
public interface PipelineSettings {

    /** A query with no batch for this long is stalled while the producer sends (idle while it is paused). */
    @WithDefault("60s")
    Duration stalledAfter();

    /**
     * How old the pipeline figures of /q/metrics may be: a scrape within this time of the last read of the
     * pipeline's health (by GET /metrics/pipeline, the dashboard or an earlier scrape) reuses it instead of
     * asking the database again.
     */
    @WithDefault("2s")
    Duration metricsMaxAge();
}
