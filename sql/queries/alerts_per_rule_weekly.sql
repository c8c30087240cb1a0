-- Alerts per rule per week over the last 12 weeks: how often each rule fired, on how many
-- hosts, and for how long in total (alerts still firing count up to now). Retro alerts (raised
-- by back-filled data, never sent) are counted apart.
SELECT date_trunc('week', f.starts_at)                                    AS week,
       f.rule_id,
       count(*) FILTER (WHERE NOT f.retro)                                AS fired,
       count(*) FILTER (WHERE f.retro)                                    AS retro,
       count(DISTINCT f.host_id)                                          AS hosts,
       round(extract(epoch FROM sum(coalesce(r.ends_at, now()) - f.starts_at))::numeric / 60, 1)
                                                                          AS firing_minutes
FROM alerts f
LEFT JOIN alerts r
       ON r.fingerprint = f.fingerprint AND r.starts_at = f.starts_at AND r.state = 'resolved'
WHERE f.state = 'firing'
  AND f.starts_at >= date_trunc('week', now()) - INTERVAL '11 weeks'
GROUP BY 1, 2
ORDER BY 1 DESC, 3 DESC, 2;
