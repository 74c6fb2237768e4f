-- The analytics schema: the one source of truth for every place that creates tables
-- (the analytics job at start-up, the local stack, the tests, and docker-compose's PostgreSQL init).
-- Idempotent: run it any number of times.

-- A. Views per product per event-time window.
CREATE TABLE IF NOT EXISTS product_view_window (
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    product_id   text        NOT NULL,
    view_count   bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, product_id)
);
CREATE INDEX IF NOT EXISTS product_view_window_product_idx ON product_view_window (product_id, window_start DESC);
-- The read API's order (newest window, then the largest value): a LIMIT reads its rows off this index, unsorted.
CREATE INDEX IF NOT EXISTS product_view_window_ranking_idx ON product_view_window (window_start DESC, view_count DESC, product_id);
-- Freshness (GET /metrics/pipeline) reads the newest update.
CREATE INDEX IF NOT EXISTS product_view_window_updated_idx ON product_view_window (updated_at);

-- B. Events of every type per category per window.
CREATE TABLE IF NOT EXISTS category_activity_window (
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    category     text        NOT NULL,
    event_count  bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, category)
);
CREATE INDEX IF NOT EXISTS category_activity_window_category_idx ON category_activity_window (category, window_start DESC);
CREATE INDEX IF NOT EXISTS category_activity_window_ranking_idx ON category_activity_window (window_start DESC, event_count DESC, category);
CREATE INDEX IF NOT EXISTS category_activity_window_updated_idx ON category_activity_window (updated_at);

-- C. Revenue per category per window: the exact sum of purchase prices.
CREATE TABLE IF NOT EXISTS category_revenue_window (
    window_start  timestamptz    NOT NULL,
    window_end    timestamptz    NOT NULL,
    category      text           NOT NULL,
    total_revenue numeric(14, 2) NOT NULL,
    updated_at    timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, category)
);
CREATE INDEX IF NOT EXISTS category_revenue_window_category_idx ON category_revenue_window (category, window_start DESC);
CREATE INDEX IF NOT EXISTS category_revenue_window_ranking_idx ON category_revenue_window (window_start DESC, total_revenue DESC, category);
CREATE INDEX IF NOT EXISTS category_revenue_window_updated_idx ON category_revenue_window (updated_at);

-- Messages the job could not accept, kept aside with the reason; the Kafka position makes a replay harmless.
CREATE TABLE IF NOT EXISTS rejected_events (
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    raw_payload      text,
    reason           text        NOT NULL,
    seen_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_topic, source_partition, source_offset)
);

-- One row per micro-batch of each streaming query: what the dashboard and GET /metrics/pipeline show.
CREATE TABLE IF NOT EXISTS stream_progress (
    query_name        text             NOT NULL,
    batch_id          bigint           NOT NULL,
    batch_time        timestamptz      NOT NULL,
    input_rows        bigint           NOT NULL,
    rows_per_second   double precision NOT NULL,
    batch_duration_ms bigint           NOT NULL,
    late_rows_dropped bigint           NOT NULL,
    rejected_rows     bigint           NOT NULL,
    end_offsets       text,
    PRIMARY KEY (query_name, batch_id)
);
CREATE INDEX IF NOT EXISTS stream_progress_time_idx ON stream_progress (query_name, batch_time DESC);
