-- One host's hourly CPU p95 over the last 90 days (from 1-hour rollups). The p95 of an hour is
-- read from the merge of its minutes' quantile sketches (within 1 % of the exact value), not
-- an average of minute p95s.
-- Set the host with:  \set host 'my-host'   (psql), or replace :'host'.
SELECT bucket,
       round((p95 * 100)::numeric, 1) AS p95_percent,
       round((avg * 100)::numeric, 1) AS avg_percent,
       count                          AS samples
FROM rollup_1h
WHERE host_id = :'host'
  AND metric = 'system.cpu.utilization'
  AND attrs = '{}'
  AND bucket >= now() - INTERVAL '90 days'
ORDER BY bucket;
