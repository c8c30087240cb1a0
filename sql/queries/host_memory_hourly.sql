-- One host's memory utilization per hour over the last 90 days (from 1-hour rollups).
-- Set the host with:  \set host 'my-host'   (psql), or replace :'host'.
SELECT bucket,
       round((avg * 100)::numeric, 1) AS avg_percent,
       round((max * 100)::numeric, 1) AS max_percent,
       count                          AS samples
FROM rollup_1h
WHERE host_id = :'host'
  AND metric = 'system.memory.utilization'
  AND attrs = '{}'
  AND bucket >= now() - INTERVAL '90 days'
ORDER BY bucket;
