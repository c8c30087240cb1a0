package io.sysmonstm.analytics.alert;

import io.sysmonstm.analytics.DaemonThreads;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the job's consumer group on the samples topic: the pipeline lags when Kafka cannot be
 * reached, or when new samples keep arriving in the topic while the group's committed offsets
 * (moved on every completed checkpoint) have not moved for {@code stallAfter}. A quiet topic is not
 * lag: then silent hosts are really silent.
 */
public final class KafkaLagWatch implements PipelineHealth {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaLagWatch.class);
  private static final long POLL_MS = 5_000;

  private final String bootstrap;
  private final String topic;
  private final String groupId;
  private final long stallAfterMs;

  private transient ScheduledExecutorService poller;
  private transient Admin admin;
  private transient volatile String lagReason;
  private transient long lastOkMs;
  private transient long committedMovedMs;
  private transient long endMovedMs;
  private transient long lastCommitted;
  private transient long lastEnd;

  public KafkaLagWatch(String bootstrap, String topic, String groupId, Duration stallAfter) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.groupId = groupId;
    this.stallAfterMs = stallAfter.toMillis();
  }

  @Override
  public void open() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-lag-watch");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
    admin = Admin.create(p);
    long now = System.currentTimeMillis();
    lastOkMs = now;
    committedMovedMs = now;
    endMovedMs = now;
    lastCommitted = -1;
    lastEnd = -1;
    poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kafka-lag-watch"));
    poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<String> lagging(long nowMs) {
    return Optional.ofNullable(lagReason);
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }

  private void poll() {
    long now = System.currentTimeMillis();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(java.util.List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(
              pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      long end = 0;
      long done = 0;
      for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
        end += e.getValue().offset();
        OffsetAndMetadata c = committed.get(e.getKey());
        done += c == null ? 0 : c.offset();
      }
      lastOkMs = now;
      if (end != lastEnd) {
        lastEnd = end;
        endMovedMs = now;
      }
      if (done != lastCommitted) {
        lastCommitted = done;
        committedMovedMs = now;
      }
      long behind = end - done;
      boolean stalled =
          behind > 0 && endMovedMs > committedMovedMs && now - committedMovedMs > stallAfterMs;
      lagReason =
          stalled
              ? "Kafka consumer group "
                  + groupId
                  + " is "
                  + behind
                  + " samples behind and has not moved for "
                  + (now - committedMovedMs) / 1000
                  + " s"
              : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (now - lastOkMs > stallAfterMs) {
        lagReason = "Kafka unreachable for " + (now - lastOkMs) / 1000 + " s";
      }
      LOG.debug("Kafka lag poll failed: {}", e.toString());
    }
  }
}
