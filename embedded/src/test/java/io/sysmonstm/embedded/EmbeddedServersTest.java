package io.sysmonstm.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** The servers, each started once for the class through its JUnit extension. */
class EmbeddedServersTest {
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension
  static final PostgresExtension POSTGRES =
      new PostgresExtension(
          (url, user, password) -> {
            try (var c = DriverManager.getConnection(url, user, password)) {
              c.createStatement().execute("CREATE TABLE set_up (n int)");
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });

  @Test
  void kafkaBrokerStoresAndServesRecords() throws Exception {
    EmbeddedKafka kafka = KAFKA.kafka();
    {
      kafka.createTopic("t", 2);
      try (var producer =
          new KafkaProducer<String, String>(
              Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "v")).get();
      }
      try (var consumer =
          new KafkaConsumer<String, String>(
              Map.of(
                  "bootstrap.servers",
                  kafka.bootstrapServers(),
                  "group.id",
                  "g",
                  "auto.offset.reset",
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        ConsumerRecord<String, String> got = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got == null && System.nanoTime() < deadline) {
          for (var r : consumer.poll(Duration.ofMillis(200))) {
            got = r;
          }
        }
        assertThat(got).isNotNull();
        assertThat(got.key()).isEqualTo("k");
        assertThat(got.value()).isEqualTo("v");
      }
    }
  }

  @Test
  void postgresCreatesDatabaseForRole() throws Exception {
    {
      String url = POSTGRES.server().createDatabase("sysmonstm", "sysmonstm", "sysmonstm");
      try (var c = DriverManager.getConnection(url, "sysmonstm", "sysmonstm");
          var rs = c.createStatement().executeQuery("SELECT current_user, current_database()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("sysmonstm");
        assertThat(rs.getString(2)).isEqualTo("sysmonstm");
      }
    }
  }

  @Test
  void redisAnswers() throws Exception {
    try (JedisPooled jedis = new JedisPooled("localhost", REDIS.port())) {
      jedis.set("k", "v");
      assertThat(jedis.get("k")).isEqualTo("v");
    }
  }

  @Test
  void everyNewDatabaseIsSetUpAndSeesNoOtherDatabasesRows() throws Exception {
    String first = POSTGRES.newDatabase("first");
    String second = POSTGRES.newDatabase("second");
    assertThat(first).isNotEqualTo(second);
    try (var c = PostgresExtension.connect(first)) {
      c.createStatement().execute("INSERT INTO set_up VALUES (1)");
    }
    try (var c = PostgresExtension.connect(second);
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM set_up")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
    }
    try (var c = PostgresExtension.connect(POSTGRES.newEmptyDatabase("empty"));
        var rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'set_up'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
    }
  }
}
