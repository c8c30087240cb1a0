package io.sysmonstm.relay.hosts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges what Redis knows (the {@code sysmonstm:hosts} index and each host's live hash) with the
 * PostgreSQL {@code hosts} table into the host list, sorted by host id.
 *
 * <p>A host with a live hash is {@code up}, or {@code stale} when its {@code last_seen} is older
 * than the stale threshold; a host without one (the hash expired, or it is only in history) is
 * {@code down}. Facts missing from the hash fall back to the table.
 */
public final class HostsMerge {
  /** Hash fields that are host facts; every other field is a series key. */
  static final Set<String> FACT_FIELDS =
      Set.of("host_id", "hostname", "os", "cores", "memory_total_bytes", "last_seen");

  private HostsMerge() {}

  /**
   * @param indexed host id → score (last seen ms) from {@code sysmonstm:hosts}
   * @param hashes host id → fields of {@code sysmonstm:host:{id}}; absent or empty = expired
   * @param rows host id → row of the {@code hosts} table
   */
  public static List<HostSummary> merge(
      Map<String, Long> indexed,
      Map<String, Map<String, String>> hashes,
      Map<String, HostRow> rows,
      long nowMs,
      Duration staleAfter) {
    Set<String> ids = new TreeSet<>(indexed.keySet());
    ids.addAll(rows.keySet());
    List<HostSummary> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      Map<String, String> hash = hashes.getOrDefault(id, Map.of());
      HostRow row = rows.get(id);
      long indexedSeen = indexed.getOrDefault(id, 0L);
      if (hash.isEmpty()) {
        long seen = row != null ? Math.max(row.lastSeenMs(), indexedSeen) : indexedSeen;
        out.add(
            new HostSummary(
                id,
                row != null ? row.hostname() : "",
                row != null ? row.os() : "",
                row != null ? row.cores() : 0,
                row != null ? row.memoryTotalBytes() : 0,
                seen,
                Health.DOWN,
                new TreeMap<>()));
        continue;
      }
      long seen =
          parseLong(
              hash.get("last_seen"), Math.max(indexedSeen, row != null ? row.lastSeenMs() : 0));
      Health health = nowMs - seen > staleAfter.toMillis() ? Health.STALE : Health.UP;
      SortedMap<String, Double> values = new TreeMap<>();
      hash.forEach(
          (field, text) -> {
            if (!FACT_FIELDS.contains(field)) {
              Double v = parseDouble(text);
              if (v != null) {
                values.put(field, v);
              }
            }
          });
      out.add(
          new HostSummary(
              id,
              orDefault(hash.get("hostname"), row != null ? row.hostname() : ""),
              orDefault(hash.get("os"), row != null ? row.os() : ""),
              (int) parseLong(hash.get("cores"), row != null ? row.cores() : 0),
              parseLong(hash.get("memory_total_bytes"), row != null ? row.memoryTotalBytes() : 0),
              seen,
              health,
              values));
    }
    return out;
  }

  private static String orDefault(String v, String def) {
    return v == null || v.isEmpty() ? def : v;
  }

  private static long parseLong(String text, long def) {
    if (text == null) {
      return def;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      Double d = parseDouble(text);
      return d != null ? d.longValue() : def;
    }
  }

  private static Double parseDouble(String text) {
    if (text == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(text.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
