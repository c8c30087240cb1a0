-- Top 10 hosts by average CPU utilization over the last 24 hours (from 1-minute rollups).
-- Weighted by sample count so a minute with more samples counts more.
SELECT host_id,
       round((sum(sum) / sum(count) * 100)::numeric, 1) AS avg_cpu_percent,
       round((max(max) * 100)::numeric, 1)              AS peak_cpu_percent,
       sum(count)                                        AS samples
FROM rollup_1m
WHERE metric = 'system.cpu.utilization'
  AND attrs = '{}'
  AND bucket >= now() - INTERVAL '24 hours'
GROUP BY host_id
ORDER BY avg_cpu_percent DESC
LIMIT 10;
