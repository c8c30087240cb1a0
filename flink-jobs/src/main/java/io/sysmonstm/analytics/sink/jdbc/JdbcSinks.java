package io.sysmonstm.analytics.sink.jdbc;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.raw.SampleRow;
import io.sysmonstm.analytics.raw.SnapshotRow;
import io.sysmonstm.analytics.rollup.HostRow;
import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.sql.RawSamples;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.postgresql.jdbc.PgConnection;

/**
 * The PostgreSQL / TimescaleDB sinks. Every statement is an upsert on the table's primary key that
 * writes absolute values, so a replay after a restore, or a window that fires again for late data,
 * rewrites the same row instead of adding to it. The sinks are at-least-once (flushed on every
 * checkpoint); with idempotent upserts the tables end up exactly as if each row was written once.
 */
public final class JdbcSinks {

  /**
   * One row of {@code samples_raw} per snapshot. A second write of the same host and time merges
   * into the row: its series replace the same series, the row keeps the others.
   */
  static final String SAMPLES_UPSERT = RawSamples.UPSERT;

  static final String HOSTS_UPSERT =
      "INSERT INTO hosts (host_id, hostname, os, cores, memory_total_bytes, first_seen, last_seen)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (host_id) DO UPDATE SET"
          + " hostname = CASE WHEN EXCLUDED.last_seen >= hosts.last_seen"
          + " THEN EXCLUDED.hostname ELSE hosts.hostname END,"
          + " os = CASE WHEN EXCLUDED.last_seen >= hosts.last_seen"
          + " THEN EXCLUDED.os ELSE hosts.os END,"
          + " cores = CASE WHEN EXCLUDED.last_seen >= hosts.last_seen"
          + " THEN EXCLUDED.cores ELSE hosts.cores END,"
          + " memory_total_bytes = CASE WHEN EXCLUDED.last_seen >= hosts.last_seen"
          + " THEN EXCLUDED.memory_total_bytes ELSE hosts.memory_total_bytes END,"
          + " first_seen = LEAST(hosts.first_seen, EXCLUDED.first_seen),"
          + " last_seen = GREATEST(hosts.last_seen, EXCLUDED.last_seen)";

  static final String LATE_SAMPLES_UPSERT =
      "INSERT INTO late_samples (host_id, metric, attrs, ts, value) VALUES (?, ?, ?::jsonb, ?, ?)"
          + " ON CONFLICT (host_id, metric, attrs, ts) DO UPDATE SET value = EXCLUDED.value";

  /** Rows per JDBC batch (snapshots for {@code samples_raw}); the alerts sink's too. */
  public static final int BATCH_SIZE = 1000;

  /** A partly filled batch is written after this long; the alerts sink's too. */
  public static final long BATCH_INTERVAL_MS = 1000;

  /**
   * Rows a sink may hold for its writer thread before the task waits: a whole minute of rollup rows
   * of 10,000 hosts × 20 series (as many for the hour), so a minute close never blocks the window;
   * a few seconds of snapshots and hosts at that fleet's rate for the other tables.
   */
  static final int MAX_PENDING_ROLLUP_ROWS = 200_000;

  static final int MAX_PENDING_ROWS = 20_000;

  /** Retries of a failed batch before the sink fails the task; the alerts sink's too. */
  public static final int MAX_RETRIES = 3;

  private JdbcSinks() {}

  static String rollupUpsert(String table) {
    if (!table.equals("rollup_1m") && !table.equals("rollup_1h")) {
      throw new IllegalArgumentException("not a rollup table: " + table);
    }
    return "INSERT INTO "
        + table
        + " (host_id, metric, attrs, bucket, count, sum, min, max, avg, last, last_ts,"
        + " p50, p95, p99, sketch)"
        + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (host_id, metric, attrs, bucket) DO UPDATE SET"
        + " count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,"
        + " avg = EXCLUDED.avg, last = EXCLUDED.last, last_ts = EXCLUDED.last_ts,"
        + " p50 = EXCLUDED.p50, p95 = EXCLUDED.p95, p99 = EXCLUDED.p99, sketch = EXCLUDED.sketch"
        // a bucket is emitted again only with more samples, so the larger count is the newer
        // emission: writes of one bucket may then come in any order (see DistinctKeySink)
        + " WHERE "
        + table
        + ".count <= EXCLUDED.count";
  }

  /**
   * Raw samples into {@code samples_raw}, one row per snapshot (read per sample through the view
   * {@code samples}); a batch holds {@link #BATCH_SIZE} snapshots.
   */
  public static Sink<SnapshotRow> samples(JobConfig cfg) {
    return upserts(
        cfg,
        "samples_raw",
        SAMPLES_UPSERT,
        new SnapshotStatement(),
        new SnapshotRowKeys(),
        SnapshotRow.class,
        MAX_PENDING_ROWS);
  }

  /**
   * Samples of snapshots later than the allowed lateness into {@code late_samples} (kept, not in
   * any rollup).
   */
  public static Sink<SampleRow> lateSamples(JobConfig cfg) {
    return upserts(
        cfg,
        "late_samples",
        LATE_SAMPLES_UPSERT,
        new SampleStatement(),
        new SampleRowKeys(),
        SampleRow.class,
        MAX_PENDING_ROWS);
  }

  /** 1-minute rollups into {@code rollup_1m}. */
  public static Sink<RollupRow> rollup1m(JobConfig cfg) {
    return rollup(cfg, "rollup_1m");
  }

  /** 1-hour rollups into {@code rollup_1h}. */
  public static Sink<RollupRow> rollup1h(JobConfig cfg) {
    return rollup(cfg, "rollup_1h");
  }

  /** Host facts and seen range into {@code hosts}. */
  public static Sink<HostRow> hosts(JobConfig cfg) {
    return upserts(
        cfg,
        "hosts",
        HOSTS_UPSERT,
        new HostStatement(),
        new HostRowKeys(),
        HostRow.class,
        MAX_PENDING_ROWS);
  }

  private static Sink<RollupRow> rollup(JobConfig cfg, String table) {
    return upserts(
        cfg,
        table,
        rollupUpsert(table),
        new RollupStatement(),
        new RollupRowKeys(),
        RollupRow.class,
        MAX_PENDING_ROLLUP_ROWS);
  }

  /** Rows upserted into {@code table} by {@code sql}, in chunks of distinct keys. */
  private static <T> Sink<T> upserts(
      JobConfig cfg,
      String table,
      String sql,
      JdbcStatementBuilder<T> statement,
      DistinctKeySink.Rows<T> rows,
      Class<T> type,
      int maxPendingRows) {
    JdbcSink<T> connector =
        JdbcSink.<T>builder()
            .withQueryStatement(sql, statement)
            .withExecutionOptions(execution())
            .buildAtLeastOnce(connection(cfg));
    return new DistinctKeySink<>(
        table,
        connector,
        rows,
        TypeInformation.of(type),
        BATCH_SIZE,
        BATCH_INTERVAL_MS,
        maxPendingRows);
  }

  /**
   * The connector writer's options: {@link DistinctKeySink} hands it whole chunks and flushes it
   * after each, so it needs no timer thread of its own (interval 0).
   */
  private static JdbcExecutionOptions execution() {
    return JdbcExecutionOptions.builder()
        .withBatchSize(BATCH_SIZE)
        .withBatchIntervalMs(0)
        .withMaxRetries(MAX_RETRIES)
        .build();
  }

  private static JdbcConnectionOptions connection(JobConfig cfg) {
    return PostgresConnections.batchedUpsertOptions(
        cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
  }

  /** {@code samples_raw}: one row per host and time; two writes merge their series. */
  static final class SnapshotRowKeys implements DistinctKeySink.Rows<SnapshotRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object key(SnapshotRow r) {
      return List.of(r.hostId(), r.tsMs());
    }

    @Override
    public SnapshotRow merge(SnapshotRow older, SnapshotRow newer) {
      return older.mergedWith(newer);
    }
  }

  /** {@code late_samples}: the newer value of a sample wins. */
  static final class SampleRowKeys implements DistinctKeySink.Rows<SampleRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object key(SampleRow r) {
      return List.of(r.hostId(), r.metric(), r.attrs(), r.tsMs());
    }

    @Override
    public SampleRow merge(SampleRow older, SampleRow newer) {
      return newer;
    }
  }

  /**
   * Rollup rows hold absolute values: a newer emission of a bucket, the one with the larger count,
   * replaces the older one (as {@link #rollupUpsert} does).
   */
  static final class RollupRowKeys implements DistinctKeySink.Rows<RollupRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object key(RollupRow r) {
      return List.of(r.hostId(), r.metric(), r.attrs(), r.bucketMs());
    }

    @Override
    public RollupRow merge(RollupRow older, RollupRow newer) {
      return newer.count() >= older.count() ? newer : older;
    }
  }

  /** As {@link #HOSTS_UPSERT} merges ({@link HostRow#mergedWith}). */
  static final class HostRowKeys implements DistinctKeySink.Rows<HostRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object key(HostRow r) {
      return r.hostId();
    }

    @Override
    public HostRow merge(HostRow older, HostRow newer) {
      return older.mergedWith(newer);
    }
  }

  /** An epoch-millisecond instant as the {@code timestamptz} parameter every sink binds. */
  public static OffsetDateTime timestamp(long epochMs) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }

  /**
   * Binds a snapshot row with PgJDBC array parameters (binary, no text to build or parse; measured
   * cheaper than text array literals on both sides, see V3).
   */
  static final class SnapshotStatement implements JdbcStatementBuilder<SnapshotRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, SnapshotRow r) throws SQLException {
      Connection c = ps.getConnection();
      ps.setString(1, r.hostId());
      ps.setObject(2, timestamp(r.tsMs()));
      ps.setArray(3, c.createArrayOf("text", r.metrics()));
      ps.setArray(4, c.createArrayOf("text", r.attrs()));
      ps.setArray(5, doubles(c, r.values()));
    }

    private static Array doubles(Connection c, double[] values) throws SQLException {
      if (c.isWrapperFor(PgConnection.class)) {
        return c.unwrap(PgConnection.class).createArrayOf("float8", values);
      }
      Double[] boxed = new Double[values.length];
      for (int i = 0; i < values.length; i++) {
        boxed[i] = values[i];
      }
      return c.createArrayOf("float8", boxed);
    }
  }

  static final class SampleStatement implements JdbcStatementBuilder<SampleRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, SampleRow r) throws SQLException {
      ps.setString(1, r.hostId());
      ps.setString(2, r.metric());
      ps.setString(3, r.attrs());
      ps.setObject(4, timestamp(r.tsMs()));
      ps.setDouble(5, r.value());
    }
  }

  static final class RollupStatement implements JdbcStatementBuilder<RollupRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, RollupRow r) throws SQLException {
      ps.setString(1, r.hostId());
      ps.setString(2, r.metric());
      ps.setString(3, r.attrs());
      ps.setObject(4, timestamp(r.bucketMs()));
      ps.setLong(5, r.count());
      ps.setDouble(6, r.sum());
      ps.setDouble(7, r.min());
      ps.setDouble(8, r.max());
      ps.setDouble(9, r.avg());
      ps.setDouble(10, r.last());
      ps.setObject(11, timestamp(r.lastTsMs()));
      ps.setDouble(12, r.p50());
      ps.setDouble(13, r.p95());
      ps.setDouble(14, r.p99());
      ps.setBytes(15, r.sketch());
    }
  }

  static final class HostStatement implements JdbcStatementBuilder<HostRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, HostRow r) throws SQLException {
      ps.setString(1, r.hostId());
      ps.setString(2, r.hostname());
      ps.setString(3, r.os());
      ps.setInt(4, r.cores());
      ps.setLong(5, r.memoryTotalBytes());
      ps.setObject(6, timestamp(r.firstSeenMs()));
      ps.setObject(7, timestamp(r.lastSeenMs()));
    }
  }
}
