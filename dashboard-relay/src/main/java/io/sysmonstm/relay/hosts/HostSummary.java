package io.sysmonstm.relay.hosts;

import io.sysmonstm.live.HostFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One item of {@code GET /api/hosts}: host facts, when it was last seen, its health and the newest
 * value of every series (keyed by series key, e.g. {@code system.cpu.utilization{"cpu":"0"}}). The
 * fields the host message on {@code /ws} has too carry the same names ({@link HostFields}), so the
 * page merges the two; {@code last_seen_iso} and {@code health} are the relay's own.
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
        .put(HostFields.HOST_ID, hostId)
        .put(HostFields.HOSTNAME, hostname)
        .put(HostFields.OS, os)
        .put(HostFields.CORES, cores)
        .put(HostFields.MEMORY_TOTAL_BYTES, memoryTotalBytes)
        .put(HostFields.LAST_SEEN, lastSeenMs)
        .put("last_seen_iso", lastSeenMs > 0 ? Instant.ofEpochMilli(lastSeenMs).toString() : null)
        .put("health", health.label())
        .put(HostFields.VALUES, vals);
  }
}
