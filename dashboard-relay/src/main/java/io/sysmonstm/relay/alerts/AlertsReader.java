package io.sysmonstm.relay.alerts;

import io.sysmonstm.live.AlertFields;
import io.sysmonstm.live.Messages;
import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads alert transitions from the {@code alerts} table (one row per transition, written by the
 * job), newest first, as the job's alert event JSON. The table does not keep an event's labels:
 * they are the rule's current labels from {@code alert_rules} ({@code {}} for a rule that is gone).
 */
public final class AlertsReader {
  private static final long TIMEOUT_MS = 10_000;

  private static final String SELECT =
      "SELECT a.fingerprint, a.rule_id, a.host_id, a.series, a.severity, a.state, a.value,"
          + " a.threshold, a.starts_at, a.ends_at, a.summary, a.retro,"
          + " (r.rule -> 'labels')::text AS labels"
          + " FROM alerts a LEFT JOIN alert_rules r ON r.id = a.rule_id WHERE ";

  /** A firing row's transition time is starts_at, a resolved row's ends_at (NULL while firing). */
  private static final String TRANSITION_TIME = "COALESCE(a.ends_at, a.starts_at)";

  private final Pool pg;
  private final DependencyStatus pgStatus;

  public AlertsReader(Pool pg, DependencyStatus pgStatus) {
    this.pg = pg;
    this.pgStatus = pgStatus;
  }

  /** The statement for {@code q}: {@code $1} is the limit, {@code $2} (when bounded) since. */
  static String sql(AlertsQuery q) {
    StringBuilder b = new StringBuilder(SELECT);
    switch (q.state()) {
      case FIRING -> {
        b.append("a.state = 'firing' AND NOT EXISTS (SELECT 1 FROM alerts x")
            .append(" WHERE x.fingerprint = a.fingerprint AND x.starts_at = a.starts_at")
            .append(" AND x.state = 'resolved')");
        if (q.since() != null) {
          b.append(" AND a.starts_at >= $2");
        }
      }
      case RESOLVED -> b.append("a.state = 'resolved' AND a.ends_at >= $2");
      case ALL ->
          b.append("((a.state = 'firing' AND a.starts_at >= $2)")
              .append(" OR (a.state = 'resolved' AND a.ends_at >= $2))");
    }
    // at equal times a resolution is newer than the firing it ends ('resolved' > 'firing')
    b.append(" ORDER BY ")
        .append(TRANSITION_TIME)
        .append(" DESC, a.state DESC, a.fingerprint COLLATE \"C\" LIMIT $1");
    return b.toString();
  }

  /** The transitions {@code q} asks for, newest first, as alert event JSON. */
  public Future<List<JsonObject>> read(AlertsQuery q) {
    Tuple params = Tuple.of(q.limit());
    if (q.since() != null) {
      params.addOffsetDateTime(OffsetDateTime.ofInstant(q.since(), ZoneOffset.UTC));
    }
    Future<List<JsonObject>> events =
        pg.preparedQuery(sql(q))
            .execute(params)
            .map(
                rows -> {
                  List<JsonObject> out = new ArrayList<>(rows.size());
                  for (Row r : rows) {
                    out.add(event(r));
                  }
                  return out;
                });
    return DependencyUnavailable.guard(events, pgStatus, TIMEOUT_MS);
  }

  /**
   * One row as the job's alert event JSON, the same fields as on {@code /ws} ({@link AlertFields}:
   * times epoch ms, absent numbers null).
   */
  static JsonObject event(Row r) {
    OffsetDateTime ends = r.getOffsetDateTime("ends_at");
    return new JsonObject()
        .put(Messages.TYPE, Messages.ALERT)
        .put(AlertFields.FINGERPRINT, r.getString("fingerprint"))
        .put(AlertFields.RULE_ID, r.getString("rule_id"))
        .put(AlertFields.HOST_ID, r.getString("host_id"))
        .put(AlertFields.SERIES, r.getString("series"))
        .put(AlertFields.SEVERITY, r.getString("severity"))
        .put(AlertFields.STATE, r.getString("state"))
        .put(AlertFields.VALUE, finite(r.getDouble("value")))
        .put(AlertFields.THRESHOLD, finite(r.getDouble("threshold")))
        .put(AlertFields.STARTS_AT, r.getOffsetDateTime("starts_at").toInstant().toEpochMilli())
        .put(AlertFields.ENDS_AT, ends == null ? null : ends.toInstant().toEpochMilli())
        .put(AlertFields.SUMMARY, r.getString("summary"))
        .put(AlertFields.RETRO, r.getBoolean("retro"))
        .put(AlertFields.LABELS, labels(r.getString("labels")));
  }

  private static Double finite(Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }

  private static JsonObject labels(String json) {
    if (json == null || !json.startsWith("{")) {
      return new JsonObject();
    }
    try {
      return new JsonObject(json);
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }
}
