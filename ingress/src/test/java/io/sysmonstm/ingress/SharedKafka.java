package io.sysmonstm.ingress;

import io.sysmonstm.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for every integration test class of the run (it takes seconds to start),
 * closed by JUnit when the run ends. Each test uses its own topic.
 */
public final class SharedKafka implements BeforeAllCallback {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static volatile EmbeddedKafka kafka;

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            SharedKafka.class,
            key -> {
              try {
                kafka = EmbeddedKafka.start();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return (AutoCloseable) kafka::close;
            },
            AutoCloseable.class);
  }

  public static EmbeddedKafka kafka() {
    return kafka;
  }

  /** A topic name no other test uses. */
  public static String freshTopic() {
    return "samples-" + TOPICS.incrementAndGet();
  }
}
