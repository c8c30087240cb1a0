package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.sink.jdbc.JdbcSinks;
import io.sysmonstm.analytics.sink.jdbc.PostgresConnections;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The alert sinks whose connector comes with Flink: the topic {@code sysmonstm.alerts}
 * (exactly-once, transactional) and the table {@code alerts} (at-least-once upsert on the primary
 * key, so a replayed transition rewrites its own row). Redis and Alertmanager have their own sinks,
 * {@link RedisAlertSink} and {@link AlertmanagerSink}.
 */
public final class AlertSinks {

  /** The topic of alert events (docs/design.md, Kafka topics). */
  public static final String DEFAULT_TOPIC = "sysmonstm.alerts";

  /**
   * How long a Kafka transaction may stay open: one checkpoint interval plus the time the
   * checkpoint takes must fit. Below the broker's {@code transaction.max.timeout.ms} (15 min by
   * default), which refuses longer ones.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

  static final String ALERTS_UPSERT =
      "INSERT INTO alerts (fingerprint, state, starts_at, ends_at, rule_id, host_id, series,"
          + " severity, value, threshold, summary, retro, emitted_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
          + " ON CONFLICT (fingerprint, starts_at, state) DO UPDATE SET"
          + " ends_at = EXCLUDED.ends_at, rule_id = EXCLUDED.rule_id,"
          + " host_id = EXCLUDED.host_id, series = EXCLUDED.series,"
          + " severity = EXCLUDED.severity, value = EXCLUDED.value,"
          + " threshold = EXCLUDED.threshold, summary = EXCLUDED.summary,"
          + " retro = EXCLUDED.retro, emitted_at = EXCLUDED.emitted_at";

  private AlertSinks() {}

  /**
   * Alert events to a Kafka topic, exactly once: records become visible to {@code read_committed}
   * consumers when the checkpoint that covers them completes (so the job must checkpoint). Key: the
   * host id in UTF-8 (empty for the pipeline-lag alert); value: {@link AlertEvent#toJson()}.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param topic usually {@link #DEFAULT_TOPIC}
   * @param transactionalIdPrefix unique per job on the cluster (two jobs with the same prefix abort
   *     each other's transactions)
   */
  public static KafkaSink<AlertEvent> kafka(
      String bootstrap, String topic, String transactionalIdPrefix) {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(topic, "topic");
    if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
      throw new IllegalArgumentException("an exactly-once Kafka sink needs a transactional id");
    }
    return KafkaSink.<AlertEvent>builder()
        .setBootstrapServers(bootstrap)
        .setRecordSerializer(
            KafkaRecordSerializationSchema.<AlertEvent>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new HostIdKey())
                .setValueSerializationSchema(new AlertJson())
                .build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setProperty(
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            Long.toString(TRANSACTION_TIMEOUT.toMillis()))
        .build();
  }

  /** Alert events into the table {@code alerts} of the job's database. */
  public static JdbcSink<AlertEvent> jdbc(JobConfig cfg) {
    return jdbc(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
  }

  /**
   * Alert events into the table {@code alerts}: one row per transition, upserted on (fingerprint,
   * starts_at, state), batched (1000 rows or 1 s, and on every checkpoint), 3 retries. A batch may
   * hold one key twice (a replayed transition), so it goes row by row ({@link
   * PostgresConnections#options}, without multi-row inserts).
   */
  public static JdbcSink<AlertEvent> jdbc(String url, String user, String password) {
    return JdbcSink.<AlertEvent>builder()
        .withQueryStatement(ALERTS_UPSERT, new AlertStatement())
        .withExecutionOptions(
            JdbcExecutionOptions.builder()
                .withBatchSize(JdbcSinks.BATCH_SIZE)
                .withBatchIntervalMs(JdbcSinks.BATCH_INTERVAL_MS)
                .withMaxRetries(JdbcSinks.MAX_RETRIES)
                .build())
        .buildAtLeastOnce(PostgresConnections.options(url, user, password));
  }

  /** Fills {@link #ALERTS_UPSERT}; NaN value or threshold becomes NULL, firing has no end. */
  static final class AlertStatement implements JdbcStatementBuilder<AlertEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(PreparedStatement ps, AlertEvent e) throws SQLException {
      ps.setString(1, e.fingerprint());
      ps.setString(2, e.state());
      ps.setObject(3, JdbcSinks.timestamp(e.startsAtMs()));
      if (e.firing()) {
        ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(4, JdbcSinks.timestamp(e.endsAtMs()));
      }
      ps.setString(5, e.ruleId());
      ps.setString(6, e.hostId());
      ps.setString(7, e.series());
      ps.setString(8, e.severity());
      number(ps, 9, e.value());
      number(ps, 10, e.threshold());
      ps.setString(11, e.summary());
      ps.setBoolean(12, e.retro());
    }

    private static void number(PreparedStatement ps, int index, double v) throws SQLException {
      if (Double.isFinite(v)) {
        ps.setDouble(index, v);
      } else {
        ps.setNull(index, Types.DOUBLE);
      }
    }
  }

  /** The record key: the host id in UTF-8, so one host's alerts keep their order. */
  static final class HostIdKey implements SerializationSchema<AlertEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(AlertEvent e) {
      return e.hostId().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The record value: {@link AlertEvent#toJson()} in UTF-8. */
  static final class AlertJson implements SerializationSchema<AlertEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(AlertEvent e) {
      return e.toJson().getBytes(StandardCharsets.UTF_8);
    }
  }
}
