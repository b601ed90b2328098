-- Daily rollup of requests, tokens, cost and errors by team/model/provider (no key: one row per
-- team, model and provider a day), so usage over weeks or months reads a few thousand rows.
-- Fed like usage_hourly by a materialized view of the deduplicated inserts into traces.
-- The view is created before the backfill of the traces stored so far; an analytics replica that
-- inserts between the two statements (several replicas sharing a ClickHouse server, during the
-- upgrade) would have those rows counted twice here, so upgrade with one analytics process running.
CREATE TABLE IF NOT EXISTS {{database}}.usage_daily
(
    day             DateTime('UTC'),
    team            LowCardinality(String),
    model           LowCardinality(String),
    provider        LowCardinality(String),
    requests        UInt64,
    errors          UInt64,
    input_tokens    UInt64,
    output_tokens   UInt64,
    cached_tokens   UInt64,
    reasoning_tokens UInt64,
    cost_usd        Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (team, day, model, provider)
TTL day + INTERVAL {{ttl_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.usage_daily_mv TO {{database}}.usage_daily AS
SELECT
    toStartOfDay(ts_start, 'UTC') AS day,
    team,
    model_requested AS model,
    provider,
    count() AS requests,
    countIf(status >= 400) AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_tokens) AS cached_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(ifNull(cost_usd, 0)) AS cost_usd
FROM {{database}}.traces
GROUP BY day, team, model, provider;

INSERT INTO {{database}}.usage_daily
SELECT
    toStartOfDay(hour, 'UTC') AS day,
    team,
    model,
    provider,
    sum(requests) AS requests,
    sum(errors) AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_tokens) AS cached_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    sum(cost_usd) AS cost_usd
FROM {{database}}.usage_hourly
GROUP BY day, team, model, provider;
