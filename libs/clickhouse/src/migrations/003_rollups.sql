-- Hourly rollups of requests, tokens, cost and errors by team/key/model/provider.
-- A materialized view adds every inserted block, so replays would double count here: the ingest
-- therefore removes request_ids already stored in traces before it inserts (dedupe before insert),
-- and the rollup only ever sees each request once.
CREATE TABLE IF NOT EXISTS {{database}}.usage_hourly
(
    hour            DateTime('UTC'),
    team            LowCardinality(String),
    key_id          LowCardinality(String),
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
PARTITION BY toYYYYMM(hour)
ORDER BY (team, hour, key_id, model, provider)
TTL hour + INTERVAL {{ttl_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.usage_hourly_mv TO {{database}}.usage_hourly AS
SELECT
    toStartOfHour(ts_start) AS hour,
    team,
    key_id,
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
GROUP BY hour, team, key_id, model, provider;

CREATE TABLE IF NOT EXISTS {{database}}.verdicts_hourly
(
    hour            DateTime('UTC'),
    team            LowCardinality(String),
    policy_id       LowCardinality(String),
    check_type      LowCardinality(String),
    action          LowCardinality(String),
    applied         Bool,
    verdicts        UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (team, hour, policy_id, check_type, action, applied)
TTL hour + INTERVAL {{ttl_days}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.verdicts_hourly_mv TO {{database}}.verdicts_hourly AS
SELECT
    toStartOfHour(ts) AS hour,
    team,
    policy_id,
    check_type,
    action,
    applied,
    count() AS verdicts
FROM {{database}}.verdicts
GROUP BY hour, team, policy_id, check_type, action, applied;
