-- sysmonstm schema, version 3: raw samples stored as one row per host snapshot.
--
-- Version 1 stored one row per sample. Every sample then paid for its own heap tuple and its own
-- entries in a 4-column primary key (jsonb attrs in it) and in samples_ts_idx. On the 2-core
-- machine PostgreSQL used 1.1 cores for 24,000 samples/s, and that bounded the whole job.
-- samples_raw keeps a host's snapshot (everything sampled on one host at one instant) in one row,
-- with its series in three parallel arrays:
--   metric[i]  metric name of the i-th series
--   attrs[i]   its attributes as canonical JSON text (keys sorted, Jackson escaping, '{}' when
--              none), exactly the text the job uses in series keys
--   value[i]   its value
-- With 20 series a snapshot is one tuple and one index entry instead of 20 of each. Measured on
-- 2.4 M samples with 2 writers in batches of 1,000 upserts (the job's JDBC sink): per sample,
-- PostgreSQL spends 1.6-2.3 us of CPU instead of 29-37 us, and the table takes 71 bytes instead
-- of 236. Storing attrs as text[] was the cheapest of the layouts measured. A jsonb array of the
-- objects cost PostgreSQL about as much (1.9-2.3 us per sample), but the job more (0.4-0.55 us
-- per sample against 0.3-0.4, to build the JSON text); jsonb[] cost 2.0-2.7 us. All took the same
-- size: the metric names dominate a row. The text is parsed as jsonb only when read, through the
-- view. A read of every sample (count(*) over the whole view) unnests all three arrays: 2.4 M
-- samples in 0.6-1.2 s.
-- There is no index on ts alone: only the primary key is maintained per snapshot. A query over all
-- hosts by time reads the whole table (plain PostgreSQL) or the chunks of that time
-- (TimescaleDB).
--
-- `samples` is now a VIEW with the columns and types of version 1: (host_id, metric, attrs jsonb,
-- ts, value), one row per sample. A query such as
--   SELECT ts, value FROM samples WHERE host_id = ? AND metric = ? AND attrs = ?::jsonb
--                                   AND ts >= ? AND ts < ? ORDER BY ts
-- still works. Its host_id and ts conditions go down to the primary key of samples_raw, and the
-- metric and attrs conditions filter the unnested series of those rows. count(*) counts samples.
-- INSERT INTO samples (one row per sample, as before) still works: a trigger merges each row into
-- its snapshot's row. UPDATE and DELETE go to samples_raw.
--
-- Writing a snapshot is an upsert on (host_id, ts) that merges (samples_raw_merge): the series of
-- the new write replace the same series (metric and attrs equal as jsonb) of the stored row, and
-- the stored row keeps its other series. That is what the upsert of version 1 did sample by
-- sample. A replay rewrites the same row, and two snapshots of one host with the same timestamp
-- lose no sample. Where both carry a series, the one written last wins. The job also writes each
-- series at most once per row: within one snapshot, the last value of a series wins.

CREATE TABLE samples_raw (
    host_id text               NOT NULL,
    ts      timestamptz        NOT NULL,
    metric  text[]             NOT NULL,
    attrs   text[]             NOT NULL,
    value   double precision[] NOT NULL,
    PRIMARY KEY (host_id, ts),
    CHECK (cardinality(metric) = cardinality(attrs) AND cardinality(metric) = cardinality(value))
);

-- The canonical attrs text of a jsonb object: keys sorted ascending, no spaces, as the job writes
-- it (version 1 stored jsonb, whose text form has spaces).
CREATE FUNCTION sysmonstm_canonical_attrs(attrs jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce('{' || string_agg(to_json(e.key)::text || ':' || e.value::text, ','
                                    ORDER BY e.key COLLATE "C") || '}', '{}')
  FROM jsonb_each(attrs) AS e
$$;

-- The series of a stored snapshot row (old_*) merged with a new write of the same host and time
-- (new_*): the stored series that the new write does not carry, in their order, then the new
-- write's series. Merging the same write again changes nothing. A write with the same series in
-- the same order as the row (a replay, the usual conflict) just takes the new values.
-- PL/pgSQL, not SQL: its plan is cached per session (PostgreSQL 17 plans a SQL function that it
-- cannot inline on every call). A replay measured 28 us of CPU per sample that way against 4 us
-- with this function and its shortcut for an unchanged series list.
CREATE FUNCTION samples_raw_merge(
    old_metric text[], old_attrs text[], old_value double precision[],
    new_metric text[], new_attrs text[], new_value double precision[],
    OUT metric text[], OUT attrs text[], OUT value double precision[])
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
  IF old_metric = new_metric AND old_attrs = new_attrs THEN
    metric := new_metric;
    attrs := new_attrs;
    value := new_value;
    RETURN;
  END IF;
  SELECT array_agg(m.metric ORDER BY m.part, m.pos),
         array_agg(m.attrs  ORDER BY m.part, m.pos),
         array_agg(m.value  ORDER BY m.part, m.pos)
  INTO metric, attrs, value
  FROM (
    SELECT 0 AS part, o.pos, o.metric, o.attrs, o.value
    FROM unnest(old_metric, old_attrs, old_value) WITH ORDINALITY AS o(metric, attrs, value, pos)
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest(new_metric, new_attrs) AS n(metric, attrs)
      WHERE n.metric = o.metric AND n.attrs::jsonb = o.attrs::jsonb)
    UNION ALL
    SELECT 1, n.pos, n.metric, n.attrs, n.value
    FROM unnest(new_metric, new_attrs, new_value) WITH ORDINALITY AS n(metric, attrs, value, pos)
  ) AS m;
END
$$;

-- With TimescaleDB (preloaded): a hypertable with the 24 h retention that `samples` had, and
-- compression after 2 hours (past the job's default allowed lateness of 1 h). A host's rows are
-- compressed together, so its metric and attrs arrays, the same in every row, cost almost
-- nothing. Version 1's policy on `samples` goes with the table. Plain PostgreSQL keeps the same
-- table without policies.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries', true) LIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    IF EXISTS (SELECT 1 FROM timescaledb_information.hypertables
               WHERE hypertable_name = 'samples') THEN
      PERFORM remove_retention_policy('samples', if_exists => true);
    END IF;
    PERFORM create_hypertable('samples_raw', by_range('ts', INTERVAL '1 hour'),
                              create_default_indexes => false, migrate_data => true);
    PERFORM add_retention_policy('samples_raw', INTERVAL '24 hours');
    EXECUTE 'ALTER TABLE samples_raw SET (timescaledb.compress, timescaledb.compress_segmentby = ''host_id'', timescaledb.compress_orderby = ''ts DESC'')';
    PERFORM add_compression_policy('samples_raw', INTERVAL '2 hours');
    RAISE NOTICE 'sysmonstm: samples_raw is a hypertable with retention and compression policies';
  ELSE
    RAISE NOTICE 'sysmonstm: timescaledb not available, samples_raw without retention policy';
  END IF;
END
$$;

-- The rows of version 1, one row per (host, time), series in the order of metric and attrs.
INSERT INTO samples_raw (host_id, ts, metric, attrs, value)
SELECT host_id,
       ts,
       array_agg(metric ORDER BY metric, canonical),
       array_agg(canonical ORDER BY metric, canonical),
       array_agg(value ORDER BY metric, canonical)
FROM (SELECT host_id, ts, metric, sysmonstm_canonical_attrs(attrs) AS canonical, value
      FROM samples) AS s
GROUP BY host_id, ts;

DROP TABLE samples;

CREATE VIEW samples AS
SELECT r.host_id,
       s.metric,
       s.attrs::jsonb AS attrs,
       r.ts,
       s.value
FROM samples_raw AS r
CROSS JOIN LATERAL unnest(r.metric, r.attrs, r.value) AS s(metric, attrs, value);

COMMENT ON VIEW samples IS
  'Raw samples, one row per sample (host_id, metric, attrs, ts, value): samples_raw unnested';

-- INSERT INTO samples: each row is merged into its snapshot's row of samples_raw.
CREATE FUNCTION samples_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO samples_raw AS r (host_id, ts, metric, attrs, value)
  VALUES (NEW.host_id, NEW.ts, ARRAY[NEW.metric],
          ARRAY[sysmonstm_canonical_attrs(coalesce(NEW.attrs, '{}'::jsonb))], ARRAY[NEW.value])
  ON CONFLICT (host_id, ts) DO UPDATE SET (metric, attrs, value) =
    (SELECT m.metric, m.attrs, m.value
     FROM samples_raw_merge(r.metric, r.attrs, r.value,
                            EXCLUDED.metric, EXCLUDED.attrs, EXCLUDED.value) AS m);
  RETURN NEW;
END
$$;

CREATE TRIGGER samples_insert INSTEAD OF INSERT ON samples
  FOR EACH ROW EXECUTE FUNCTION samples_insert();
