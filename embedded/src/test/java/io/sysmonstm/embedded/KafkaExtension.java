package io.sysmonstm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, in this JVM) for a test class: started before its first test and
 * stopped after its last ({@link #perClass()}), or one for every test class of the run that asks
 * for it ({@link #perRun()}), stopped by JUnit when the run ends. Tests that share a broker use
 * topics of their own ({@link #freshTopic}).
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static volatile EmbeddedKafka shared;

  private final boolean perRun;
  private volatile EmbeddedKafka kafka;

  private KafkaExtension(boolean perRun) {
    this.perRun = perRun;
  }

  /** A broker of the test class's own. */
  public static KafkaExtension perClass() {
    return new KafkaExtension(false);
  }

  /** One broker for every test class of the run that registers {@code perRun()}. */
  public static KafkaExtension perRun() {
    return new KafkaExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!perRun) {
      kafka = start();
      return;
    }
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            KafkaExtension.class,
            key -> {
              shared = start();
              return (AutoCloseable) shared::close;
            },
            AutoCloseable.class);
    kafka = shared;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perRun && kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  private static EmbeddedKafka start() {
    try {
      return EmbeddedKafka.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The broker (started in {@code beforeAll}). */
  public EmbeddedKafka kafka() {
    EmbeddedKafka k = kafka;
    if (k == null) {
      throw new IllegalStateException(
          "Kafka is not started: register KafkaExtension with @RegisterExtension on a static field");
    }
    return k;
  }

  public String bootstrapServers() {
    return kafka().bootstrapServers();
  }

  public Admin admin() {
    return kafka().admin();
  }

  public void createTopic(String name, int partitions) {
    kafka().createTopic(name, partitions);
  }

  public void createTopic(String name, int partitions, Map<String, String> configs) {
    kafka().createTopic(name, partitions, configs);
  }

  /** A topic name no other test of the run uses: {@code prefix} and a number. */
  public static String freshTopic(String prefix) {
    return prefix + "-" + TOPICS.incrementAndGet();
  }
}
