-- V3: the continuous audit (analytics-job, dev.shopstream.analytics.audit). Safe to run again, like V1 and V2.

-- One row per closed window and table, from the newest audit of that window: the table's value summed over the
-- window's keys (views, events, revenue), the batch recompute of the same from Kafka, the part of the batch value
-- carried by late events not folded in yet, and the unexplained rest, stream - (batch - late), which is 0 when
-- the table is right. mismatched_keys counts the keys whose own rest is not 0 (a sum could hide two errors that
-- cancel out); first_mismatch names one of them.
CREATE TABLE IF NOT EXISTS audit_window (
    window_start    timestamptz    NOT NULL,
    window_end      timestamptz    NOT NULL,
    table_name      text           NOT NULL,
    stream_value    numeric(18, 2) NOT NULL,
    batch_value     numeric(18, 2) NOT NULL,
    late_value      numeric(18, 2) NOT NULL,
    late_events     bigint         NOT NULL,
    unexplained     numeric(18, 2) NOT NULL,
    mismatched_keys integer        NOT NULL,
    first_mismatch  text,
    audited_at      timestamptz    NOT NULL,
    PRIMARY KEY (window_start, table_name)
);

-- Every valid record the watermark dropped: read by a batch whose watermark was at or after its event_time.
-- already_counted: another copy of the same event_id was counted (a late re-delivery), so it explains nothing.
-- folded_at: when the fold command rewrote its window from the batch recompute (null: still missing from the
-- tables).
CREATE TABLE IF NOT EXISTS late_events (
    source_topic     text           NOT NULL,
    source_partition integer        NOT NULL,
    source_offset    bigint         NOT NULL,
    event_id         text           NOT NULL,
    event_type       text           NOT NULL,
    product_id       text           NOT NULL,
    category         text           NOT NULL,
    price            numeric(8, 2)  NOT NULL,
    event_time       timestamptz    NOT NULL,
    missed_watermark timestamptz    NOT NULL,
    batch_id         bigint         NOT NULL,
    window_start     timestamptz    NOT NULL,
    window_end       timestamptz    NOT NULL,
    already_counted  boolean        NOT NULL,
    found_at         timestamptz    NOT NULL DEFAULT now(),
    folded_at        timestamptz,
    PRIMARY KEY (source_topic, source_partition, source_offset)
);
CREATE INDEX IF NOT EXISTS late_events_window_idx ON late_events (window_start);
