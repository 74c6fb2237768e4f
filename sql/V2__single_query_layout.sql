-- V2: the job as ONE streaming query (shop_analytics) with three outputs, written in one transaction per batch.
-- Written to be safe to run again (IF NOT EXISTS), like V1.

-- The finest grain the query aggregates to: every (window, product, category) with all three analytics at
-- once. The three tables of the seed design are recomputed from these rows for the keys a batch changed, in
-- the batch's transaction, so they always agree with each other.
CREATE TABLE IF NOT EXISTS window_totals (
    window_start   timestamptz    NOT NULL,
    window_end     timestamptz    NOT NULL,
    product_id     text           NOT NULL,
    category       text           NOT NULL,
    view_count     bigint         NOT NULL,
    event_count    bigint         NOT NULL,
    purchase_count bigint         NOT NULL,
    total_revenue  numeric(14, 2) NOT NULL,
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, product_id, category)
);
-- The category tables are recomputed per (window, category).
CREATE INDEX IF NOT EXISTS window_totals_category_idx ON window_totals (window_start, category);

-- stream_progress: the batch's row is written in the batch's own transaction (offsets, watermark, rejects);
-- Spark's figures (rows, duration, late rows, lag) follow from the progress listener once the batch has
-- committed, so they are null for a batch whose job was killed before its listener ran.
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS start_offsets text;
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS watermark timestamptz;
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS committed_at timestamptz;
ALTER TABLE stream_progress ADD COLUMN IF NOT EXISTS offsets_behind_latest bigint;
ALTER TABLE stream_progress ALTER COLUMN input_rows DROP NOT NULL;
ALTER TABLE stream_progress ALTER COLUMN rows_per_second DROP NOT NULL;
ALTER TABLE stream_progress ALTER COLUMN batch_duration_ms DROP NOT NULL;
ALTER TABLE stream_progress ALTER COLUMN late_rows_dropped DROP NOT NULL;

-- The four queries of the old layout are gone: their progress rows would show as stalled forever.
DELETE FROM stream_progress WHERE query_name IN ('product_views', 'category_activity', 'category_revenue', 'rejected_events');
