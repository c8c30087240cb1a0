package io.sysmonstm.analytics.sink.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Redis contract for live values (read by the relay): the host hash, the hosts index, the
 * recent-values stream and the message published on {@code sysmonstm:live}.
 */
public final class LiveValues {
  /** Channel of live host messages. */
  public static final String CHANNEL = "sysmonstm:live";

  /** Sorted set of host ids scored by last seen (epoch ms). */
  public static final String HOSTS = "sysmonstm:hosts";

  /**
   * How far back a host's recent-values stream reaches: the dashboard's 5-minute charts and
   * sparklines read it instead of the database.
   */
  public static final long RECENT_WINDOW_MS = 5 * 60_000L;

  private static final String HOST_PREFIX = "sysmonstm:host:";
  private static final String RECENT_PREFIX = "sysmonstm:recent:";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveValues() {}

  /** Key of a host's hash. */
  public static String hostKey(String hostId) {
    return HOST_PREFIX + hostId;
  }

  /**
   * Key of a host's recent-values stream: one entry per snapshot, entry id = the snapshot's event
   * time in ms ({@code <ms>-0}), fields = {@link #recentFields}, trimmed to {@link
   * #RECENT_WINDOW_MS} behind the newest entry.
   */
  public static String recentKey(String hostId) {
    return RECENT_PREFIX + hostId;
  }

  /** The fields of a recent-values stream entry: one per series key, value as a decimal string. */
  public static Map<String, String> recentFields(HostSnapshot s) {
    Map<String, String> fields = new LinkedHashMap<>(s.samples().length * 2);
    for (Sample sample : s.samples()) {
      fields.put(sample.seriesKey(), Double.toString(sample.value()));
    }
    return fields;
  }

  /**
   * The hash fields of a snapshot: the host facts, {@code last_seen} and one field per series key
   * with the value as a decimal string.
   */
  public static Map<String, String> hashFields(HostSnapshot s) {
    HostFacts f = s.facts();
    Map<String, String> fields = new LinkedHashMap<>(8 + s.samples().length * 2);
    fields.put("host_id", s.hostId());
    fields.put("hostname", f.hostname());
    fields.put("os", f.os());
    fields.put("cores", Integer.toString(f.cores()));
    fields.put("memory_total_bytes", Long.toString(f.memoryTotalBytes()));
    fields.put("last_seen", Long.toString(s.timestampMs()));
    for (Sample sample : s.samples()) {
      fields.put(sample.seriesKey(), Double.toString(sample.value()));
    }
    return fields;
  }

  /** The JSON message published on {@link #CHANNEL} for a snapshot. */
  public static String message(HostSnapshot s) {
    HostFacts f = s.facts();
    ObjectNode m = JSON.createObjectNode();
    m.put("type", "host");
    m.put("host_id", s.hostId());
    m.put("hostname", f.hostname());
    m.put("os", f.os());
    m.put("cores", f.cores());
    m.put("memory_total_bytes", f.memoryTotalBytes());
    m.put("last_seen", s.timestampMs());
    ObjectNode values = m.putObject("values");
    for (Sample sample : s.samples()) {
      values.put(sample.seriesKey(), sample.value());
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("live message cannot be written", e);
    }
  }
}
