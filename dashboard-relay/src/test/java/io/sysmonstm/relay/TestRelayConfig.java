package io.sysmonstm.relay;

import io.sysmonstm.embedded.PostgresExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The relay's settings in the API tests: any port on the loopback, the test's Redis and database.
 */
final class TestRelayConfig {
  private TestRelayConfig() {}

  /**
   * Port 0 on 127.0.0.1, {@code redisUrl}, {@code jdbcUrl} as {@link PostgresExtension#USER}
   * (migrated by the relay), the default Kafka settings, no admin token.
   */
  static RelayConfig of(String redisUrl, String jdbcUrl) {
    return of(redisUrl, jdbcUrl, RelayConfig.DEFAULT_STALE_AFTER);
  }

  /** As {@link #of(String, String)}, hosts stale after {@code staleAfter}. */
  static RelayConfig of(String redisUrl, String jdbcUrl, Duration staleAfter) {
    return new RelayConfig(
        0,
        "127.0.0.1",
        URI.create(redisUrl),
        jdbcUrl,
        PostgresExtension.USER,
        PostgresExtension.PASSWORD,
        true,
        staleAfter,
        RelayConfig.DEFAULT_KAFKA_BOOTSTRAP,
        RelayConfig.DEFAULT_RULES_TOPIC,
        Optional.empty());
  }
}
