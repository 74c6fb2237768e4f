package dev.shopstream.producer.retention;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The {@code retention.*} keys of application.properties (each also an environment variable, e.g.
 * RETENTION_WINDOW_ROWS). A duration of 0 keeps those rows forever.
 */
@ConfigMapping(prefix = "retention")
public interface RetentionSettings {

    /** Window rows whose window started longer ago than this are deleted. */
    @WithDefault("7d")
    Duration windowRows();

    /** Rejected events first seen longer ago than this are deleted. */
    @WithDefault("7d")
    Duration rejectedEvents();

    /**
     * Quarantined rows (rows of the job's batches the database refused) quarantined longer ago than this are
     * deleted. Longer than the rest: each is a row the window tables lack and an incident to look into, and they are
     * rare, so keeping them costs little.
     */
    @WithDefault("30d")
    Duration quarantinedRows();

    /** Rows deleted per statement: each batch is its own short transaction. */
    @WithDefault("1000")
    int batchSize();

    /** How often the deletion runs (in the background); {@code off} never runs it. Read by {@link Retention}'s schedule. */
    @WithDefault("1m")
    String interval();
}
