-- One row per guardrail verdict (a check that did not pass, or an async result).
-- Keyed by (team, ts, verdict_id) so a replayed verdict collapses; the ingest also skips stored verdict_ids.
CREATE TABLE IF NOT EXISTS {{database}}.verdicts
(
    verdict_id      String,
    request_id      String,
    ts              DateTime64(3, 'UTC'),
    policy_id       LowCardinality(String),
    policy_version  UInt32,
    check_index     UInt16,
    check_type      LowCardinality(String),
    stage           LowCardinality(String),
    action          LowCardinality(String),
    outcome         LowCardinality(String),
    mode            LowCardinality(String),
    applied         Bool,
    score           Nullable(Float64),
    details         Array(String),
    async           Bool,
    key_id          LowCardinality(String),
    team            LowCardinality(String),
    model           LowCardinality(String),
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_request_id request_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_verdict_id verdict_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (team, ts, verdict_id)
TTL toDateTime(ts) + INTERVAL {{ttl_days}} DAY
SETTINGS index_granularity = 8192;
