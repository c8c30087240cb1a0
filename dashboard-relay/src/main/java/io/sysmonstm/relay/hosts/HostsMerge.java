package io.sysmonstm.relay.hosts;

import io.sysmonstm.live.HostFields;
import io.sysmonstm.live.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges what Redis knows (the {@link RedisKeys#HOSTS} index and each host's live hash, fields as
 * {@link HostFields} names them) with the PostgreSQL {@code hosts} table into the host list, sorted
 * by host id.
 *
 * <p>A host with a live hash is {@code up}, or {@code stale} when its {@code last_seen} is older
 * than the stale threshold; a host without one (the hash expired, or it is only in history) is
 * {@code down}. Facts missing from the hash fall back to the table.
 */
public final class HostsMerge {
  private HostsMerge() {}

  /**
   * @param indexed host id → score (last seen ms) from {@link RedisKeys#HOSTS}
   * @param hashes host id → fields of {@link RedisKeys#hostKey}; absent or empty = expired
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
              hash.get(HostFields.LAST_SEEN),
              Math.max(indexedSeen, row != null ? row.lastSeenMs() : 0));
      Health health = nowMs - seen > staleAfter.toMillis() ? Health.STALE : Health.UP;
      SortedMap<String, Double> values = new TreeMap<>();
      hash.forEach(
          (field, text) -> {
            if (!HostFields.isFact(field)) {
              Double v = parseDouble(text);
              if (v != null) {
                values.put(field, v);
              }
            }
          });
      out.add(
          new HostSummary(
              id,
              orDefault(hash.get(HostFields.HOSTNAME), row != null ? row.hostname() : ""),
              orDefault(hash.get(HostFields.OS), row != null ? row.os() : ""),
              (int) parseLong(hash.get(HostFields.CORES), row != null ? row.cores() : 0),
              parseLong(
                  hash.get(HostFields.MEMORY_TOTAL_BYTES),
                  row != null ? row.memoryTotalBytes() : 0),
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
