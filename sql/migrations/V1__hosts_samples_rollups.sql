-- sysmonstm schema, version 1: hosts, raw samples and the 1-minute / 1-hour rollups.
--
-- A series is (host_id, metric, attrs). attrs is the sample's attribute map as a
-- JSON object ('{}' for whole-machine series); jsonb compares by content, so the
-- primary keys below make every sink write an idempotent upsert.
-- Times are timestamptz; a rollup row is stamped with the start of its bucket.

CREATE TABLE hosts (
    host_id            text        PRIMARY KEY,
    hostname           text        NOT NULL DEFAULT '',
    os                 text        NOT NULL DEFAULT '',
    cores              integer     NOT NULL DEFAULT 0,
    memory_total_bytes bigint      NOT NULL DEFAULT 0,
    first_seen         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL
);

CREATE TABLE samples (
    host_id text             NOT NULL,
    metric  text             NOT NULL,
    attrs   jsonb            NOT NULL DEFAULT '{}',
    ts      timestamptz      NOT NULL,
    value   double precision NOT NULL,
    PRIMARY KEY (host_id, metric, attrs, ts)
);

CREATE TABLE rollup_1m (
    host_id text             NOT NULL,
    metric  text             NOT NULL,
    attrs   jsonb            NOT NULL DEFAULT '{}',
    bucket  timestamptz      NOT NULL,
    count   bigint           NOT NULL CHECK (count > 0),
    sum     double precision NOT NULL,
    min     double precision NOT NULL,
    max     double precision NOT NULL,
    avg     double precision NOT NULL,
    last    double precision NOT NULL,
    last_ts timestamptz      NOT NULL,
    PRIMARY KEY (host_id, metric, attrs, bucket)
);

CREATE TABLE rollup_1h (LIKE rollup_1m INCLUDING ALL);

-- Queries by time across hosts (top hosts by CPU over a day).
CREATE INDEX samples_ts_idx   ON samples (ts);
CREATE INDEX rollup_1m_bucket ON rollup_1m (metric, bucket);
CREATE INDEX rollup_1h_bucket ON rollup_1h (metric, bucket);

-- With TimescaleDB (preloaded): hypertables, retention and compression.
-- Plain PostgreSQL (the tests, the local stack) keeps the same tables without policies.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries', true) LIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    PERFORM create_hypertable('samples',   by_range('ts',     INTERVAL '1 hour'), migrate_data => true);
    PERFORM create_hypertable('rollup_1m', by_range('bucket', INTERVAL '1 day'),  migrate_data => true);
    PERFORM create_hypertable('rollup_1h', by_range('bucket', INTERVAL '7 days'), migrate_data => true);
    PERFORM add_retention_policy('samples',   INTERVAL '24 hours');
    PERFORM add_retention_policy('rollup_1m', INTERVAL '7 days');
    PERFORM add_retention_policy('rollup_1h', INTERVAL '90 days');
    EXECUTE 'ALTER TABLE rollup_1m SET (timescaledb.compress, timescaledb.compress_segmentby = ''host_id, metric'')';
    EXECUTE 'ALTER TABLE rollup_1h SET (timescaledb.compress, timescaledb.compress_segmentby = ''host_id, metric'')';
    PERFORM add_compression_policy('rollup_1m', INTERVAL '1 day');
    PERFORM add_compression_policy('rollup_1h', INTERVAL '7 days');
    RAISE NOTICE 'sysmonstm: TimescaleDB hypertables and retention policies created';
  ELSE
    RAISE NOTICE 'sysmonstm: timescaledb not available, plain tables without retention policies';
  END IF;
END
$$;
