-- Response cache (issue 8): each trace records its cache outcome and, on a HIT, the cost the
-- replayed response had originally (cost_usd of a hit is 0). cache_status stores '' for BYPASS
-- (the type default: the ingest leaves the column out of inserts where every row has it, and
-- traces stored before this migration read as BYPASS); queries map '' to 'BYPASS'.
ALTER TABLE {{database}}.traces ADD COLUMN IF NOT EXISTS cost_saved_usd Float64 AFTER cost_usd;
ALTER TABLE {{database}}.traces ADD COLUMN IF NOT EXISTS cache_status LowCardinality(String) AFTER cache_hit;

-- The rollups sum the saved cost and count the hits; rows rolled up before this migration have 0.
ALTER TABLE {{database}}.usage_hourly ADD COLUMN IF NOT EXISTS cost_saved_usd Float64;
ALTER TABLE {{database}}.usage_hourly ADD COLUMN IF NOT EXISTS cache_hits UInt64;
ALTER TABLE {{database}}.usage_daily ADD COLUMN IF NOT EXISTS cost_saved_usd Float64;
ALTER TABLE {{database}}.usage_daily ADD COLUMN IF NOT EXISTS cache_hits UInt64;

ALTER TABLE {{database}}.usage_hourly_mv MODIFY QUERY
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
    sum(ifNull(cost_usd, 0)) AS cost_usd,
    sum(cost_saved_usd) AS cost_saved_usd,
    countIf(cache_hit) AS cache_hits
FROM {{database}}.traces
GROUP BY hour, team, key_id, model, provider;

ALTER TABLE {{database}}.usage_daily_mv MODIFY QUERY
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
    sum(ifNull(cost_usd, 0)) AS cost_usd,
    sum(cost_saved_usd) AS cost_saved_usd,
    countIf(cache_hit) AS cache_hits
FROM {{database}}.traces
GROUP BY day, team, model, provider;
