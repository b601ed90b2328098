CREATE DATABASE IF NOT EXISTS {{database}};

-- One row per finished request. ReplacingMergeTree keyed by (team, ts_start, request_id):
-- a replayed trace has the same key, so background merges (and FINAL) collapse it to one row.
-- The ingest also drops request_ids that are already stored before inserting, so neither this
-- table nor the rollups built from it ever see a replay (see apps/analytics/src/ingest/batch-writer.ts).
CREATE TABLE IF NOT EXISTS {{database}}.traces
(
    request_id          String,
    trace_id            String,
    span_id             String,
    parent_span_id      String,
    ts_start            DateTime64(3, 'UTC'),
    ts_end              DateTime64(3, 'UTC'),
    latency_ms          Float64,
    ttft_ms             Nullable(Float64),
    status              UInt16,
    error_type          LowCardinality(String),
    client_format       LowCardinality(String),
    endpoint            LowCardinality(String),
    model_requested     LowCardinality(String),
    provider            LowCardinality(String),
    model_upstream      LowCardinality(String),
    attempts            UInt16,
    attempt_details     String CODEC(ZSTD(1)),
    key_id              LowCardinality(String),
    key_name            LowCardinality(String),
    team                LowCardinality(String),
    metadata            Map(LowCardinality(String), String),
    input_tokens        UInt64,
    output_tokens       UInt64,
    cached_tokens       UInt64,
    cache_write_tokens  UInt64,
    reasoning_tokens    UInt64,
    cost_usd            Nullable(Float64),
    cost_input_usd      Float64,
    cost_output_usd     Float64,
    cost_cached_input_usd Float64,
    cost_cache_write_usd  Float64,
    cost_reasoning_usd  Float64,
    pricing_unknown     Bool,
    cache_hit           Bool,
    stream              Bool,
    guardrail_action    LowCardinality(String),
    guardrail_policies  String,
    guardrail_flagged   UInt16,
    guardrail_redacted  UInt16,
    guardrail_denied    UInt16,
    request_body        Nullable(String) CODEC(ZSTD(3)),
    response_body       Nullable(String) CODEC(ZSTD(3)),
    inserted_at         DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_request_id request_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_metadata_keys mapKeys(metadata) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_metadata_values mapValues(metadata) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_status status TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts_start)
ORDER BY (team, ts_start, request_id)
TTL toDateTime(ts_start) + INTERVAL {{ttl_days}} DAY
SETTINGS index_granularity = 8192;
