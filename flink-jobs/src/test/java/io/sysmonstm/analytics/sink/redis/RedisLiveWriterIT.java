package io.sysmonstm.analytics.sink.redis;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** The live writer against a real Redis: what each snapshot leaves there, and key expiry. */
class RedisLiveWriterIT {
  static final long TTL_S = 300;
  static EmbeddedRedis redis;
  static JedisPooled jedis;

  TestProcessingTimeService time;
  RedisLiveWriter writer;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = EmbeddedRedis.start();
    jedis = new JedisPooled(URI.create(redis.url()));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    jedis.close();
    redis.close();
  }

  @BeforeEach
  void newWriter() throws Exception {
    jedis.flushAll();
    time = new TestProcessingTimeService();
    time.setCurrentTime(1_000_000);
    writer = writer(500);
  }

  RedisLiveWriter writer(int maxBatch) {
    return new RedisLiveWriter(
        URI.create(redis.url()),
        TTL_S,
        100,
        maxBatch,
        time,
        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
        0);
  }

  @AfterEach
  void closeWriter() {
    writer.close();
  }

  static HostSnapshot at(String host, long seconds, double cpu) {
    return snap(host, T0.plusSeconds(seconds), sample(CPU, cpu));
  }

  void write(HostSnapshot... snapshots) throws InterruptedException {
    for (HostSnapshot s : snapshots) {
      writer.write(s, null);
    }
    writer.flush(false);
  }

  /**
   * The task thread hands full batches to the writer thread and goes on; it waits only when {@link
   * RedisLiveWriter#MAX_IN_FLIGHT} batches are not yet written, and a flush (checkpoint) waits
   * until they are. Redis is made to hold write commands ({@code CLIENT PAUSE ... WRITE}) to see
   * that.
   */
  @Test
  void theTaskWaitsForRedisOnlyWhenTwoBatchesAreInFlightAndAFlushWaitsForAll() throws Exception {
    assertThat(RedisLiveWriter.MAX_IN_FLIGHT).isEqualTo(2);
    writer.close();
    writer = writer(2);
    jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "60000", "WRITE");
    Thread task =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 6; i++) {
                  writer.write(at("web-" + i, 0, 0.1), null);
                }
                writer.flush(false);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "task");
    AtomicReference<String> shown = new AtomicReference<>("");
    try {
      task.start();
      // batches 1 and 2 are in flight, the task waits to hand on batch 3
      await().atMost(Duration.ofSeconds(30)).until(() -> task.getState() == Thread.State.WAITING);
      shown.set(Objects.toString(jedis.zrange(RedisKeys.HOSTS, 0, -1)));
    } finally {
      jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
    }
    task.join(30_000);
    assertThat(task.isAlive()).as("the flush returned once Redis wrote").isFalse();
    assertThat(shown.get()).as("nothing was written while Redis held writes").isEqualTo("[]");
    assertThat(jedis.zrange(RedisKeys.HOSTS, 0, -1))
        .as("the flush waited until all three batches were written")
        .containsExactlyInAnyOrder("web-0", "web-1", "web-2", "web-3", "web-4", "web-5");
  }

  @Test
  void eachSnapshotLeavesItsHashStreamEntryAndIndexScore() throws Exception {
    write(at("web-1", 0, 0.1), at("web-2", 0, 0.2), at("web-1", 1, 0.3));

    assertThat(jedis.hgetAll("sysmonstm:host:web-1"))
        .containsEntry("system.cpu.utilization", "0.3")
        .containsEntry("last_seen", Long.toString(T0.plusSeconds(1).toEpochMilli()));
    List<StreamEntry> recent =
        jedis.xrange("sysmonstm:recent:web-1", (StreamEntryID) null, (StreamEntryID) null);
    assertThat(recent)
        .extracting(e -> e.getFields().get("system.cpu.utilization"))
        .containsExactly("0.1", "0.3");
    assertThat(jedis.zscore("sysmonstm:hosts", "web-1"))
        .as("one ZADD per round trip keeps each host's newest time")
        .isEqualTo((double) T0.plusSeconds(1).toEpochMilli());
    assertThat(jedis.zscore("sysmonstm:hosts", "web-2")).isEqualTo((double) T0.toEpochMilli());

    // a later round trip with an older time for a host does not move the index back
    jedis.zadd("sysmonstm:hosts", Map.of("web-2", (double) T0.plusSeconds(9).toEpochMilli()));
    write(at("web-2", 5, 0.4));
    assertThat(jedis.zscore("sysmonstm:hosts", "web-2"))
        .isEqualTo((double) T0.plusSeconds(9).toEpochMilli());
  }

  /**
   * What Redis holds is exactly the contract's fields ({@link LiveValues#hashFields}, {@link
   * LiveValues#recentFields}), non-ASCII host facts and attributes included, for two hosts and two
   * snapshots of one host written in two round trips.
   */
  @Test
  void theHashAndStreamHoldExactlyTheContractFieldsNonAsciiTextIncluded() throws Exception {
    HostFacts facts = new HostFacts("rechner-ü ☃", "Debian GNU/Linux 12", 4, 8_000_000_000L, "0.1");
    HostSnapshot first =
        snapshot("hôst-1", 1, facts, sample(CPU, Map.of("cpu", "é"), 0.25), sample(CPU, 0.5));
    HostSnapshot other =
        snapshot("web-2", 1, facts("web-2"), sample(CPU, Map.of("cpu", "é"), 0.75));
    HostSnapshot second =
        snapshot("hôst-1", 2, facts, sample(CPU, Map.of("cpu", "é"), 1.5e-7), sample(CPU, 0.125));
    write(first, other);
    write(second);

    assertThat(jedis.hgetAll(LiveValues.hostKey("hôst-1")))
        .isEqualTo(LiveValues.hashFields(second));
    assertThat(jedis.hgetAll(LiveValues.hostKey("web-2"))).isEqualTo(LiveValues.hashFields(other));
    List<StreamEntry> recent =
        jedis.xrange(LiveValues.recentKey("hôst-1"), (StreamEntryID) null, (StreamEntryID) null);
    assertThat(recent)
        .extracting(StreamEntry::getFields)
        .containsExactly(LiveValues.recentFields(first), LiveValues.recentFields(second));
  }

  /** Snapshot {@code seq} of a host, {@code seq - 1} seconds after T0. */
  static HostSnapshot snapshot(String host, long seq, HostFacts facts, Sample... samples) {
    return new HostSnapshot(
        host, "run", seq, T0.plusSeconds(seq - 1).toEpochMilli(), facts, samples);
  }

  @Test
  void keysOutliveTheLastWriteByTheTtlAndAtMostOneRefreshMore() throws Exception {
    long refreshS = RedisLiveWriter.refreshMs(TTL_S) / 1000;
    assertThat(refreshS).isEqualTo(30);
    write(at("web-1", 0, 0.1));
    assertThat(jedis.ttl("sysmonstm:host:web-1")).isBetween(TTL_S, TTL_S + refreshS);
    assertThat(jedis.ttl("sysmonstm:recent:web-1")).isBetween(TTL_S, TTL_S + refreshS);

    // within the refresh interval the expiry is left alone (shortened here to see that)
    jedis.expire("sysmonstm:host:web-1", 10);
    jedis.expire("sysmonstm:recent:web-1", 10);
    time.setCurrentTime(time.getCurrentProcessingTime() + refreshS * 1000 - 1);
    write(at("web-1", 1, 0.2));
    assertThat(jedis.ttl("sysmonstm:host:web-1")).isLessThanOrEqualTo(10);
    assertThat(jedis.ttl("sysmonstm:recent:web-1")).isLessThanOrEqualTo(10);

    // the first write after it renews both keys
    time.setCurrentTime(time.getCurrentProcessingTime() + 1);
    write(at("web-1", 2, 0.3));
    assertThat(jedis.ttl("sysmonstm:host:web-1")).isBetween(TTL_S, TTL_S + refreshS);
    assertThat(jedis.ttl("sysmonstm:recent:web-1")).isBetween(TTL_S, TTL_S + refreshS);
  }

  @Test
  void aHostWhoseKeysExpiredGetsThemBackWithAnExpiry() throws Exception {
    write(at("web-1", 0, 0.1));
    // silent for longer than the TTL: Redis dropped its keys
    jedis.del("sysmonstm:host:web-1", "sysmonstm:recent:web-1");
    time.setCurrentTime(time.getCurrentProcessingTime() + (TTL_S + 31) * 1000);
    write(at("web-1", 400, 0.2));
    assertThat(jedis.hget("sysmonstm:host:web-1", "system.cpu.utilization")).isEqualTo("0.2");
    assertThat(jedis.ttl("sysmonstm:host:web-1")).isPositive();
    assertThat(jedis.ttl("sysmonstm:recent:web-1")).isPositive();
  }

  @Test
  void aFailedRoundTripIsDroppedAndTheExpiryRenewedOnTheNextWrite() throws Exception {
    write(at("web-1", 0, 0.1));
    int port = redis.port();
    redis.close();
    write(at("web-1", 1, 0.2)); // Redis is away: dropped, counted, no exception
    redis = EmbeddedRedis.start(port);
    jedis.close();
    jedis = new JedisPooled(URI.create(redis.url()));

    // a fresh Redis: the writer cannot know the keys are new, but it forgot its renewals
    write(at("web-1", 2, 0.3));
    assertThat(jedis.hget("sysmonstm:host:web-1", "system.cpu.utilization")).isEqualTo("0.3");
    assertThat(jedis.ttl("sysmonstm:host:web-1")).isPositive();
    assertThat(jedis.ttl("sysmonstm:recent:web-1")).isPositive();
  }
}
