-- Idempotent inserts (resilience: a ClickHouse that applies an INSERT after its client gave up).
-- The ingest sends every insert with insert_deduplication_token (a hash of the block's ids) and
-- deduplicate_blocks_in_dependent_materialized_views = 1, and re-sends a block whose outcome is
-- unknown (timeout, connection lost) unchanged before anything else. These windows let the server
-- recognise such a re-sent block, in the tables and in every rollup fed from them, however late
-- the first copy was applied; without them a late copy is counted twice by the rollups (which
-- have no row identity to merge on).
ALTER TABLE {{database}}.traces MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.verdicts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.usage_hourly MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.usage_daily MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.verdicts_hourly MODIFY SETTING non_replicated_deduplication_window = 1000;
