package io.sysmonstm.analytics.sink.redis;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.live.HostFields;
import io.sysmonstm.live.Messages;
import io.sysmonstm.live.RedisKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot's live values as the live contract ({@link io.sysmonstm.live}) lays them out: the host
 * hash, the hosts index, the recent-values stream and the message published on {@link
 * RedisKeys#LIVE_CHANNEL}, all read by the relay.
 *
 * <p>{@link #of} encodes a snapshot once (series keys and value strings) for all of them: the sink
 * writes every snapshot it receives, so this is on the job's hot path. The names are the contract's
 * compile-time constants, folded into this class's constants: nothing is looked up per snapshot.
 */
public final class LiveValues {
  /** The hash's fact fields ({@link HostFields#FACTS}), in the order of {@code factValues}. */
  private static final String[] FACT_FIELDS = {
    HostFields.HOST_ID,
    HostFields.HOSTNAME,
    HostFields.OS,
    HostFields.CORES,
    HostFields.MEMORY_TOTAL_BYTES,
    HostFields.LAST_SEEN
  };

  // the host message up to each value, as constants
  private static final String OPEN =
      "{\"" + Messages.TYPE + "\":\"" + Messages.HOST + "\",\"" + HostFields.HOST_ID + "\":";
  private static final String HOSTNAME = ",\"" + HostFields.HOSTNAME + "\":";
  private static final String OS = ",\"" + HostFields.OS + "\":";
  private static final String CORES = ",\"" + HostFields.CORES + "\":";
  private static final String MEMORY = ",\"" + HostFields.MEMORY_TOTAL_BYTES + "\":";
  private static final String LAST_SEEN = ",\"" + HostFields.LAST_SEEN + "\":";
  private static final String VALUES = ",\"" + HostFields.VALUES + "\":{";

  private final HostSnapshot snapshot;
  private final String[] factValues;
  private final String[] seriesKeys;
  private final String[] values;

  private LiveValues(HostSnapshot s) {
    HostFacts f = s.facts();
    this.snapshot = s;
    this.factValues =
        new String[] {
          s.hostId(),
          f.hostname(),
          f.os(),
          Integer.toString(f.cores()),
          Long.toString(f.memoryTotalBytes()),
          Long.toString(s.timestampMs())
        };
    Sample[] samples = s.samples();
    this.seriesKeys = new String[samples.length];
    this.values = new String[samples.length];
    for (int i = 0; i < samples.length; i++) {
      seriesKeys[i] = samples[i].seriesKey();
      values[i] = number(samples[i].value());
    }
  }

  /** The live values of {@code s}, encoded once. */
  public static LiveValues of(HostSnapshot s) {
    return new LiveValues(s);
  }

  /**
   * A value as its shortest decimal string that parses back to the same double (the Schubfach
   * algorithm of JDK 19's {@code Double.toString}; JDK 17's is several times slower). The same text
   * in the hash, the stream and the JSON message.
   */
  static String number(double v) {
    return NumberOutput.toString(v, true);
  }

  /** Key of a host's hash ({@link RedisKeys#hostKey}). */
  public static String hostKey(String hostId) {
    return RedisKeys.hostKey(hostId);
  }

  /**
   * Key of a host's recent-values stream ({@link RedisKeys#recentKey}): one entry per snapshot,
   * entry id = the snapshot's event time in ms ({@link RedisKeys#recentEntryId}), fields = {@link
   * #recentFields}, trimmed to {@link RedisKeys#RECENT_WINDOW_MS} behind the newest entry.
   */
  public static String recentKey(String hostId) {
    return RedisKeys.recentKey(hostId);
  }

  /** The fields of a recent-values stream entry: one per series key, value as a decimal string. */
  public static Map<String, String> recentFields(HostSnapshot s) {
    return of(s).recentFields();
  }

  /**
   * The hash fields of a snapshot: the host facts, {@code last_seen} and one field per series key
   * with the value as a decimal string.
   */
  public static Map<String, String> hashFields(HostSnapshot s) {
    return of(s).hashFields();
  }

  /** The JSON message published on {@link RedisKeys#LIVE_CHANNEL} for a snapshot. */
  public static String message(HostSnapshot s) {
    return of(s).message();
  }

  HostSnapshot snapshot() {
    return snapshot;
  }

  /** See {@link #recentFields(HostSnapshot)}. */
  Map<String, String> recentFields() {
    Map<String, String> fields = new LinkedHashMap<>(seriesKeys.length * 2);
    for (int i = 0; i < seriesKeys.length; i++) {
      fields.put(seriesKeys[i], values[i]);
    }
    return fields;
  }

  /** See {@link #hashFields(HostSnapshot)}. */
  Map<String, String> hashFields() {
    Map<String, String> fields = new LinkedHashMap<>((FACT_FIELDS.length + seriesKeys.length) * 2);
    for (int i = 0; i < FACT_FIELDS.length; i++) {
      fields.put(FACT_FIELDS[i], factValues[i]);
    }
    fields.putAll(recentFields());
    return fields;
  }

  /**
   * The hash fields as a flat {@code field, value, ...} array after {@code lead} leading slots (for
   * a command's arguments), without building a map.
   */
  String[] hashArgs(int lead) {
    String[] args = new String[lead + 2 * (FACT_FIELDS.length + seriesKeys.length)];
    int j = lead;
    for (int i = 0; i < FACT_FIELDS.length; i++) {
      args[j++] = FACT_FIELDS[i];
      args[j++] = factValues[i];
    }
    return seriesArgs(args, j);
  }

  /** The stream entry's fields as a flat array after {@code lead} leading slots. */
  String[] recentArgs(int lead) {
    return seriesArgs(new String[lead + 2 * seriesKeys.length], lead);
  }

  private String[] seriesArgs(String[] args, int from) {
    int j = from;
    for (int i = 0; i < seriesKeys.length; i++) {
      args[j++] = seriesKeys[i];
      args[j++] = values[i];
    }
    return args;
  }

  /** See {@link #message(HostSnapshot)}. */
  String message() {
    HostFacts f = snapshot.facts();
    StringBuilder json = new StringBuilder(160 + 48 * seriesKeys.length);
    json.append(OPEN);
    string(json, snapshot.hostId());
    json.append(HOSTNAME);
    string(json, f.hostname());
    json.append(OS);
    string(json, f.os());
    json.append(CORES).append(f.cores());
    json.append(MEMORY).append(f.memoryTotalBytes());
    json.append(LAST_SEEN).append(snapshot.timestampMs());
    json.append(VALUES);
    for (int i = 0; i < seriesKeys.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      string(json, seriesKeys[i]);
      // a finite double's decimal string is a JSON number
      json.append(':').append(values[i]);
    }
    return json.append("}}").toString();
  }

  /** Appends {@code s} as a JSON string (quotes, backslashes and control characters escaped). */
  static void string(StringBuilder json, String s) {
    json.append('"');
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        json.append(s, from, i);
        switch (c) {
          case '"' -> json.append("\\\"");
          case '\\' -> json.append("\\\\");
          case '\n' -> json.append("\\n");
          case '\r' -> json.append("\\r");
          case '\t' -> json.append("\\t");
          default -> json.append(String.format("\\u%04x", (int) c));
        }
        from = i + 1;
      }
    }
    json.append(s, from, s.length()).append('"');
  }
}
