package io.sysmonstm.relay.hosts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One item of {@code GET /api/hosts}: host facts, when it was last seen, its health and the newest
 * value of every series (keyed by series key, e.g. {@code system.cpu.utilization{"cpu":"0"}}).
 */
public record HostSummary(
    String hostId,
    String hostname,
    String os,
    int cores,
    long memoryTotalBytes,
    long lastSeenMs,
    Health health,
    SortedMap<String, Double> values) {

  public HostSummary {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(health, "health");
    values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    for (Double v : values.values()) {
      if (v == null || !Double.isFinite(v)) {
        throw new IllegalArgumentException("values must be finite numbers");
      }
    }
  }

  public JsonObject toJson() {
    JsonObject vals = new JsonObject();
    values.forEach(vals::put);
    return new JsonObject()
        .put("host_id", hostId)
        .put("hostname", hostname)
        .put("os", os)
        .put("cores", cores)
        .put("memory_total_bytes", memoryTotalBytes)
        .put("last_seen", lastSeenMs)
        .put("last_seen_iso", lastSeenMs > 0 ? Instant.ofEpochMilli(lastSeenMs).toString() : null)
        .put("health", health.label())
        .put("values", vals);
  }
}
