package io.sysmonstm.bench.probe;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Redis's memory and evictions ({@code INFO}): whether it held the fleet's live values. A Redis
 * that reaches its {@code maxmemory} evicts hosts' keys (their live values are lost until their
 * next snapshot) and spends its time on that.
 */
public final class RedisMemory {
  private RedisMemory() {}

  /**
   * @param usedBytes {@code used_memory}
   * @param maxBytes {@code maxmemory}, 0 when unlimited
   * @param evictedKeys {@code evicted_keys} since the server started
   */
  public record Reading(long usedBytes, long maxBytes, long evictedKeys) {}

  /** Reads the Redis at {@code url}. */
  public static Reading read(String url) {
    try (Jedis jedis = new Jedis(URI.create(url))) {
      return parse(jedis.info("memory") + "\n" + jedis.info("stats"));
    }
  }

  /** The reading in the text of {@code INFO memory} and {@code INFO stats}. */
  static Reading parse(String info) {
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return new Reading(
        number(fields, "used_memory"), number(fields, "maxmemory"), number(fields, "evicted_keys"));
  }

  private static long number(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalStateException("Redis INFO has no " + name);
    }
    return Long.parseLong(v);
  }
}
