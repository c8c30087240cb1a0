package io.sysmonstm.bench.alert;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Listens on a Redis channel (the job's {@code sysmonstm:alerts}) from a thread of its own and
 * stamps every message with the wall clock the moment it arrives; the messages are parsed later,
 * off that thread, so booking never delays the stamp.
 */
public final class AlertSubscriber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertSubscriber.class);

  private final Jedis jedis;
  private final Listener listener = new Listener();
  private final Thread thread;
  private final ConcurrentLinkedQueue<AlertLatencyBook.Received> inbox =
      new ConcurrentLinkedQueue<>();
  private final AtomicLong received = new AtomicLong();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private AlertSubscriber(URI redisUrl, String channel) {
    this.jedis = new Jedis(redisUrl);
    this.thread =
        new Thread(
            () -> {
              try {
                jedis.subscribe(listener, channel);
              } catch (RuntimeException e) {
                failure.set(e);
                subscribed.countDown();
              }
            },
            "alert-subscriber");
    thread.setDaemon(true);
  }

  /** Subscribes to {@code channel}; returns once Redis confirmed the subscription. */
  public static AlertSubscriber start(URI redisUrl, String channel, Duration timeout)
      throws InterruptedException {
    AlertSubscriber s = new AlertSubscriber(redisUrl, channel);
    s.thread.start();
    if (!s.subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || s.failure.get() != null) {
      s.close();
      throw new IllegalStateException(
          "cannot subscribe to Redis channel " + channel + " at " + redisUrl, s.failure.get());
    }
    LOG.info("Subscribed to Redis channel {}; timing every alert event", channel);
    return s;
  }

  /** The messages received since the last call, oldest first. */
  public List<AlertLatencyBook.Received> drain() {
    List<AlertLatencyBook.Received> out = new ArrayList<>();
    AlertLatencyBook.Received m;
    while ((m = inbox.poll()) != null) {
      out.add(m);
    }
    return out;
  }

  /** Messages received so far. */
  public long received() {
    return received.get();
  }

  @Override
  public void close() {
    try {
      if (listener.isSubscribed()) {
        listener.unsubscribe();
      }
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("Unsubscribing failed: {}; closing the connection", e.toString());
    } finally {
      jedis.close();
    }
  }

  private final class Listener extends JedisPubSub {
    @Override
    public void onMessage(String channel, String message) {
      long now = System.currentTimeMillis();
      inbox.add(new AlertLatencyBook.Received(now, message));
      received.incrementAndGet();
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      subscribed.countDown();
    }
  }
}
