package io.sysmonstm.analytics.sink.alert;

import static io.sysmonstm.analytics.sink.alert.Alerts.firing;
import static io.sysmonstm.analytics.sink.alert.Alerts.hostDown;
import static io.sysmonstm.analytics.sink.alert.Alerts.resolved;
import static io.sysmonstm.analytics.sink.alert.Alerts.retro;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.embedded.RedisExtension;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/** Alert events to a real Redis: the active hash and the channel. */
class AlertSinkRedisIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static final Duration WAIT = Duration.ofSeconds(30);

  /** Collects the messages of channel {@code sysmonstm:alerts} from a thread of its own. */
  static final class Subscriber extends JedisPubSub implements AutoCloseable {
    final Queue<String> messages = new ConcurrentLinkedQueue<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final Thread thread;

    Subscriber(int port) throws InterruptedException {
      thread =
          new Thread(
              () -> {
                try (Jedis jedis = new Jedis("localhost", port)) {
                  jedis.subscribe(this, RedisKeys.ALERTS_CHANNEL);
                }
              },
              "alerts-subscriber");
      thread.start();
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();
    }

    @Override
    public void onSubscribe(String channel, int count) {
      subscribed.countDown();
    }

    @Override
    public void onMessage(String channel, String message) {
      messages.add(message);
    }

    List<String> received() {
      return List.copyOf(messages);
    }

    @Override
    public void close() throws InterruptedException {
      unsubscribe();
      thread.join(10_000);
    }
  }

  @Test
  void theActiveHashFollowsTransitionsAndTheChannelGetsEveryEvent() throws Exception {
    AlertEvent stays = firing("fp-stays", "web-1", 0);
    AlertEvent ends = firing("fp-ends", "web-2", 0);
    AlertEvent first = firing("fp-again", "web-3", 0);
    AlertEvent second = firing("fp-again", "web-3", 120);
    AlertEvent older = firing("fp-newer", "web-4", 0);
    AlertEvent newer = firing("fp-newer", "web-4", 300);
    AlertEvent backfilled = firing("fp-backfilled", "web-5", 0);
    AlertEvent endedLate = firing("fp-ended-late", "web-6", 0);
    AlertEvent silent = hostDown("fp-silent", "db-1", 30);
    List<AlertEvent> events =
        List.of(
            stays,
            ends,
            resolved(ends, 60),
            first,
            resolved(first, 60),
            second,
            newer,
            resolved(older, 60), // a replayed resolve of an earlier firing
            retro(backfilled),
            retro(resolved(backfilled, 60)),
            endedLate,
            retro(resolved(endedLate, 90)),
            silent);

    JedisPooled jedis = new JedisPooled(URI.create(REDIS.url()));
    jedis.flushAll();
    try (Subscriber subscriber = new Subscriber(REDIS.port())) {
      StreamExecutionEnvironment env = TestFlink.env(2);
      env.fromData(events, Alerts.TYPE)
          .sinkTo(new RedisAlertSink(URI.create(REDIS.url())))
          .name("alerts-redis");
      env.execute("alerts-to-redis");

      assertThat(jedis.hgetAll(RedisKeys.ALERTS_ACTIVE))
          .isEqualTo(
              Map.of(
                  "fp-stays", stays.toJson(),
                  "fp-again", second.toJson(),
                  "fp-newer", newer.toJson(),
                  "fp-silent", silent.toJson()));

      await().atMost(WAIT).until(() -> subscriber.received().size() >= events.size());
      assertThat(subscriber.received())
          .containsExactlyInAnyOrderElementsOf(events.stream().map(AlertEvent::toJson).toList());
      assertThat(subscriber.received().stream().filter(m -> m.contains("\"fp-again\"")))
          .as("one alert's transitions arrive in order")
          .containsExactly(first.toJson(), resolved(first, 60).toJson(), second.toJson());
    } finally {
      jedis.close();
    }
  }

  @Test
  void whileRedisIsDownTheWriterKeepsTheNewestEventsAndWritesThemInOrderWhenItIsBack()
      throws Exception {
    int port = Ports.free();
    EmbeddedRedis outage = EmbeddedRedis.start(port);
    outage.close();
    TestProcessingTimeService time = new TestProcessingTimeService();
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    List<AlertEvent> events = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      events.add(firing("fp-" + i, "web-" + i, i));
    }
    AlertEvent ends3 = resolved(events.get(2), 60);
    try (RedisAlertWriter writer =
        new RedisAlertWriter(
            URI.create("redis://localhost:" + port), 100, 1, 4, time, metrics.writerGroup())) {
      for (AlertEvent e : events) {
        writer.write(e, null);
      }
      writer.write(ends3, null);
      time.advance(100);
      writer.flush(false);
      assertThat(metrics.count("redisAlertWriteFailures")).isPositive();
      assertThat(metrics.count("redisAlertsDropped")).as("fp-1 and fp-2").isEqualTo(2);

      outage = EmbeddedRedis.start(port);
      try (JedisPooled jedis = new JedisPooled(URI.create(outage.url()))) {
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  time.advance(RedisAlertWriter.MAX_BACKOFF_MS / 10);
                  return metrics.sent() >= 4;
                });
        assertThat(jedis.hgetAll(RedisKeys.ALERTS_ACTIVE))
            .isEqualTo(
                Map.of(
                    "fp-4", events.get(3).toJson(),
                    "fp-5", events.get(4).toJson()));
      }
    } finally {
      outage.close();
    }
  }
}
