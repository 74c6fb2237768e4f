package dev.shopstream.analytics.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** The watermark of a running query, for tests that must send late events only once it is past them. */
public final class Watermarks {

    private Watermarks() {
    }

    public static void awaitPast(StreamingQuery query, Instant watermark) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> of(query.lastProgress()).isAfter(watermark));
    }

    /** The progress's watermark; the epoch before the first one. */
    public static Instant of(StreamingQueryProgress progress) {
        if (progress == null || progress.eventTime() == null || progress.eventTime().get("watermark") == null) {
            return Instant.EPOCH;
        }
        return Instant.parse(progress.eventTime().get("watermark"));
    }
}
