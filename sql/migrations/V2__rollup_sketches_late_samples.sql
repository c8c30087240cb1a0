-- sysmonstm schema, version 2: quantiles on rollups, and samples that arrived too late.
--
-- rollup_1m / rollup_1h gain p50, p95, p99 and the DDSketch they come from. The sketch has a
-- relative accuracy of 1 %: every quantile is within 1 % of the exact value of the bucket's
-- samples (the value of rank floor(q * (count - 1)) in ascending order). `sketch` holds the
-- sketch in the binary encoding of com.datadoghq:sketches-java (DDSketch.encode, read back with
-- DDSketch.decode; sketches-go reads it too), index mapping included, so sketches of several
-- rows merge exactly: an hour's sketch is the merge of its minutes' sketches. The columns are
-- nullable: rows written before version 2 have none.

ALTER TABLE rollup_1m
    ADD COLUMN p50    double precision,
    ADD COLUMN p95    double precision,
    ADD COLUMN p99    double precision,
    ADD COLUMN sketch bytea;

ALTER TABLE rollup_1h
    ADD COLUMN p50    double precision,
    ADD COLUMN p95    double precision,
    ADD COLUMN p99    double precision,
    ADD COLUMN sketch bytea;

-- Samples of snapshots that reached the job later than the allowed lateness (default 1 h)
-- after their minute: they are in `samples`, but no longer in any rollup. Kept here, never
-- dropped silently; received_at is when the job first wrote them.
CREATE TABLE late_samples (
    host_id     text             NOT NULL,
    metric      text             NOT NULL,
    attrs       jsonb            NOT NULL DEFAULT '{}',
    ts          timestamptz      NOT NULL,
    value       double precision NOT NULL,
    received_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (host_id, metric, attrs, ts)
);

CREATE INDEX late_samples_received_idx ON late_samples (received_at);
