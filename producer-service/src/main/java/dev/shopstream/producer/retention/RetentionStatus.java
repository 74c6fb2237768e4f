package dev.shopstream.producer.retention;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The retention part of GET /metrics/pipeline: what is kept (seconds; 0 keeps everything) and how many rows this
 * service has deleted since it started, and when it last looked.
 */
@JsonPropertyOrder({"keep_window_rows_seconds", "keep_rejected_events_seconds", "keep_quarantined_rows_seconds", "window_rows_deleted",
    "rejected_events_deleted", "quarantined_rows_deleted", "last_run"})
@RegisterForReflection
public record RetentionStatus(long keepWindowRowsSeconds, long keepRejectedEventsSeconds, long keepQuarantinedRowsSeconds,
                              long windowRowsDeleted, long rejectedEventsDeleted, long quarantinedRowsDeleted,
                              @Schema(nullable = true) Instant lastRun) {
}
