package io.sysmonstm.analytics.sink.jdbc;

import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.rollup.HostRow;
import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.config.Settings;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.sql.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sinks write batches as multi-row upserts, which PostgreSQL refuses when a key occurs twice in
 * one statement. A batch that holds keys twice (a window fired again, two minutes of a host closed
 * together) must write what the rows, upserted one by one in order, would have made: checked
 * against exactly that, on a second database, with the same statements.
 */
class DuplicateKeysInABatchIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(1);

  static String batched;
  static String oneByOne;

  @BeforeAll
  static void databases() {
    batched = POSTGRES.newDatabase("batched");
    oneByOne = POSTGRES.newDatabase("onebyone");
  }

  static final long M = 60_000;
  static final long T = T0.toEpochMilli();

  @Test
  void hostRowsOfOneHostTwiceInABatch() throws Exception {
    List<HostRow> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String host = "h-" + (i % 7);
      long first = T + (i % 5) * M;
      // facts change on the way; some rows arrive out of order
      rows.add(
          new HostRow(
              host, host + ".v" + (i % 3), "os " + (i % 4), 2 + i % 3, 1L << 30, first, first + M));
    }
    write(rows, TypeInformation.of(HostRow.class), JdbcSinks.hosts(config(batched)));
    writeOneByOne(rows, JdbcSinks.HOSTS_UPSERT, new JdbcSinks.HostStatement());
    String dump = "SELECT host_id, hostname, os, cores, first_seen, last_seen FROM hosts";
    assertThat(dump(batched, dump)).hasSize(7).isEqualTo(dump(oneByOne, dump));
  }

  @Test
  void rollupRowsOfOneBucketTwiceInABatch() throws Exception {
    List<RollupRow> rows = emissions("h-");
    write(rows, TypeInformation.of(RollupRow.class), JdbcSinks.rollup1m(config(batched)));
    writeOneByOne(rows, JdbcSinks.rollupUpsert("rollup_1m"), new JdbcSinks.RollupStatement());
    String dump =
        "SELECT host_id, bucket, count, sum, last, sketch FROM rollup_1m"
            + " WHERE host_id LIKE 'h-%'";
    assertThat(dump(batched, dump)).hasSize(12).isEqualTo(dump(oneByOne, dump));
  }

  /**
   * After a rescale a restored chunk may be written after newer rows of its buckets (see
   * DistinctKeySink): the row with the larger count, the newer emission, stays.
   */
  @Test
  void anOlderEmissionWrittenLaterDoesNotReplaceANewerOne() throws Exception {
    List<RollupRow> rows = emissions("shuffled-");
    Collections.shuffle(rows, new Random(7));
    write(rows, TypeInformation.of(RollupRow.class), JdbcSinks.rollup1m(config(batched)));
    writeOneByOne(rows, JdbcSinks.rollupUpsert("rollup_1m"), new JdbcSinks.RollupStatement());
    String dump =
        "SELECT host_id, (extract(epoch FROM bucket) * 1000)::bigint, count FROM rollup_1m"
            + " WHERE host_id LIKE 'shuffled-%'";
    List<String> newest = new ArrayList<>();
    for (int h = 0; h < 3; h++) {
      for (int b = 0; b < 4; b++) {
        // emission i is of host i % 3 and minute i % 4, with i + 1 samples: the last one stays
        int last = -1;
        for (int i = 0; i < 500; i++) {
          if (i % 3 == h && i % 4 == b) {
            last = i;
          }
        }
        newest.add("shuffled-" + h + "|" + (T + b * M) + "|" + (last + 1) + "|");
      }
    }
    assertThat(dump(batched, dump)).containsExactlyInAnyOrderElementsOf(newest);
    assertThat(dump(oneByOne, dump)).isEqualTo(dump(batched, dump));
  }

  /** 500 emissions of 12 buckets (3 hosts × 4 minutes); emission i holds i + 1 samples. */
  static List<RollupRow> emissions(String hostPrefix) {
    List<RollupRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // a bucket emitted again (late data): a later emission holds more samples
      String host = hostPrefix + (i % 3);
      long bucket = T + (i % 4) * M;
      double v = i / 10.0;
      rows.add(
          new RollupRow(
              host,
              "system.cpu.utilization",
              "{}",
              bucket,
              i + 1,
              v * (i + 1),
              v,
              v,
              v,
              v,
              bucket + 1_000,
              v,
              v,
              v,
              new byte[] {(byte) i}));
    }
    return rows;
  }

  static JobConfig config(String url) {
    return JobConfig.from(Settings.parse(new String[] {"--jdbc-url", url}, Map.of()));
  }

  static <T> void write(List<T> rows, TypeInformation<T> type, Sink<T> sink) throws Exception {
    StreamExecutionEnvironment env = TestFlink.env(1);
    env.fromData(rows, type).sinkTo(sink);
    env.execute("duplicate-keys");
  }

  static <T> void writeOneByOne(List<T> rows, String sql, JdbcStatementBuilder<T> bind)
      throws SQLException {
    try (Connection c = PostgresExtension.connect(oneByOne);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (T row : rows) {
        bind.accept(ps, row);
        ps.executeUpdate();
      }
    }
  }

  static List<String> dump(String url, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PostgresExtension.connect(url);
        ResultSet rs = c.createStatement().executeQuery(sql + " ORDER BY 1, 2")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object o = rs.getObject(i);
          row.append(o instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(o))
              .append('|');
        }
        out.add(row.toString());
      }
    }
    return out;
  }
}
