package io.sysmonstm.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
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
import redis.clients.jedis.JedisPooled;

class EmbeddedServersTest {

  @Test
  void kafkaBrokerStoresAndServesRecords() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
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
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start()) {
      String url = pg.createDatabase("sysmonstm", "sysmonstm", "sysmonstm");
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
    try (EmbeddedRedis redis = EmbeddedRedis.start();
        JedisPooled jedis = new JedisPooled("localhost", redis.port())) {
      jedis.set("k", "v");
      assertThat(jedis.get("k")).isEqualTo("v");
    }
  }
}
