-- Busiest network interfaces over the last hour, receive + transmit, bytes/s (1-minute rollups).
SELECT host_id,
       attrs ->> 'device'                          AS device,
       round(sum(sum) / sum(count))                AS avg_bytes_per_s,
       round(max(max))                             AS peak_bytes_per_s
FROM rollup_1m
WHERE metric = 'system.network.io.rate'
  AND bucket >= now() - INTERVAL '1 hour'
GROUP BY host_id, attrs ->> 'device'
ORDER BY avg_bytes_per_s DESC
LIMIT 20;
