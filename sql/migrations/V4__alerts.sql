-- sysmonstm schema, version 4: alert rules and alert history (DESIGN, Alert semantics).
--
-- (Version 3 is the raw-samples layout; versions are applied in order, gaps are allowed.)
--
-- alert_rules holds the rules as the relay accepted them (the JSON of DESIGN, validated);
-- the relay also publishes each change to the compacted topic sysmonstm.rules, which the job
-- reads. A deleted rule is removed here and tombstoned on the topic.
CREATE TABLE alert_rules (
    id         text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,128}$'),
    rule       jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per transition of an alert: the job emits each transition to firing and to resolved
-- exactly once; the primary key makes a replayed transition rewrite its own row.
-- fingerprint identifies the alert: (rule, host, series), stable across restarts.
-- series is the series key (metric, or metric + canonical attributes JSON); '' for host-down.
-- retro: raised by back-filled (late) data, kept as history, never sent to Alertmanager.
CREATE TABLE alerts (
    fingerprint text             NOT NULL,
    state       text             NOT NULL CHECK (state IN ('firing', 'resolved')),
    starts_at   timestamptz      NOT NULL,
    ends_at     timestamptz,
    rule_id     text             NOT NULL,
    host_id     text             NOT NULL,
    series      text             NOT NULL DEFAULT '',
    severity    text             NOT NULL,
    value       double precision,
    threshold   double precision,
    summary     text             NOT NULL DEFAULT '',
    retro       boolean          NOT NULL DEFAULT false,
    emitted_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (fingerprint, starts_at, state),
    CHECK ((state = 'resolved') = (ends_at IS NOT NULL))
);

-- Newest first, by state (GET /api/alerts?state=...&since=...), and per rule (weekly report).
CREATE INDEX alerts_starts_idx ON alerts (starts_at DESC);
CREATE INDEX alerts_rule_idx   ON alerts (rule_id, starts_at);
