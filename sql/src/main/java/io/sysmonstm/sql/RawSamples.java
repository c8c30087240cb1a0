package io.sysmonstm.sql;

/**
 * How raw samples are written: one row of {@code samples_raw} per host snapshot (migration V3),
 * read per sample through the view {@code samples}. The statement lives next to the schema, so the
 * job and the tests write rows the same way.
 */
public final class RawSamples {

  /**
   * Upserts one host snapshot. Parameters: 1 host_id (text), 2 ts (timestamptz), 3 metric names
   * (text[]), 4 canonical attrs JSON (text[]), 5 values (double precision[]); the arrays are
   * parallel, one element per series, each series at most once. On a row that exists for the same
   * host and time, the written series replace the same series of the row and the row keeps its
   * other series ({@code samples_raw_merge}): writing the same snapshot again changes nothing.
   */
  public static final String UPSERT =
      "INSERT INTO samples_raw AS r (host_id, ts, metric, attrs, value) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (host_id, ts) DO UPDATE SET (metric, attrs, value) ="
          + " (SELECT m.metric, m.attrs, m.value FROM samples_raw_merge(r.metric, r.attrs,"
          + " r.value, EXCLUDED.metric, EXCLUDED.attrs, EXCLUDED.value) AS m)";

  private RawSamples() {}
}
