-- One row per audit event (gatehouse.audit.v1): who changed what, before and after (secrets removed).
-- Append-only from the API's side; no TTL (kept until an operator drops partitions).
-- The ingest skips stored event_ids, so a replayed event lands once; a re-sent insert is recognised by its
-- insert_deduplication_token (the window, as in 007); the ReplacingMergeTree key is the backstop.
CREATE TABLE IF NOT EXISTS {{database}}.audit
(
    event_id        String,
    ts              DateTime64(3, 'UTC'),
    actor           String,
    role            LowCardinality(String),
    action          LowCardinality(String),
    target_type     LowCardinality(String),
    target_id       String,
    teams           Array(String),
    before          Nullable(String),
    after           Nullable(String),
    request_id      String,
    source_ip       String,
    status          UInt16,
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_event_id event_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_actor actor TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, event_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;
