package io.sysmonstm.relay.series;

import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a series from PostgreSQL: raw {@code samples} with {@code from <= ts < to}, or the rollup
 * buckets that overlap {@code [from, to)} (a bucket is stamped with its start). At most {@code
 * limit + 1} points are read, so the caller can tell that a range holds more than it serves.
 */
public final class SeriesReader {
  private static final long TIMEOUT_MS = 10_000;

  private static final String RAW_SQL =
      "SELECT ts, value FROM samples"
          + " WHERE host_id = $1 AND metric = $2 AND attrs = $3::text::jsonb"
          + " AND ts >= $4 AND ts < $5 ORDER BY ts LIMIT $6";

  private static String rollupSql(Step step) {
    return "SELECT bucket, count, min, max, avg, last, p50, p95, p99 FROM "
        + step.table()
        + " WHERE host_id = $1 AND metric = $2 AND attrs = $3::text::jsonb"
        + " AND bucket > $4 AND bucket < $5 ORDER BY bucket LIMIT $6";
  }

  private final Pool pg;
  private final DependencyStatus pgStatus;

  public SeriesReader(Pool pg, DependencyStatus pgStatus) {
    this.pg = pg;
    this.pgStatus = pgStatus;
  }

  /** Up to {@code limit + 1} points of {@code q}, ordered by time. */
  public Future<List<Point>> read(SeriesQuery q, int limit) {
    OffsetDateTime to = OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC);
    Future<List<Point>> points;
    if (q.step() == Step.RAW) {
      OffsetDateTime from = OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC);
      points =
          pg.preparedQuery(RAW_SQL)
              .execute(Tuple.of(q.hostId(), q.metric(), q.attrsJson(), from, to, limit + 1))
              .map(
                  rows -> {
                    List<Point> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                      out.add(Point.raw(r.getOffsetDateTime(0).toInstant(), r.getDouble(1)));
                    }
                    return out;
                  });
    } else {
      // a bucket overlaps [from, to) when from - width < bucket < to
      OffsetDateTime after =
          OffsetDateTime.ofInstant(q.from().minus(q.step().bucket()), ZoneOffset.UTC);
      points =
          pg.preparedQuery(rollupSql(q.step()))
              .execute(Tuple.of(q.hostId(), q.metric(), q.attrsJson(), after, to, limit + 1))
              .map(
                  rows -> {
                    List<Point> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                      out.add(
                          new Point(
                              r.getOffsetDateTime(0).toInstant(),
                              r.getLong(1),
                              r.getDouble(2),
                              r.getDouble(3),
                              r.getDouble(4),
                              r.getDouble(6),
                              r.getDouble(7),
                              r.getDouble(8),
                              r.getDouble(5)));
                    }
                    return out;
                  });
    }
    return DependencyUnavailable.guard(points, pgStatus, TIMEOUT_MS);
  }
}
