package io.sysmonstm.live;

import java.util.List;
import java.util.Set;

/**
 * Field names of a host, the same in its hash {@code sysmonstm:host:{id}}, in the host message on
 * {@code sysmonstm:live} and in the relay's {@code /api/hosts} items.
 *
 * <ul>
 *   <li>Hash: the {@link #FACTS} (numbers as decimal strings) plus one field per series key ({@link
 *       SeriesKeys}) holding its newest value as a decimal string. A field that is not a fact is a
 *       series key.
 *   <li>Host message: {@code {"type":"host","host_id":…,"hostname":…,"os":…,"cores":n,
 *       "memory_total_bytes":n,"last_seen":ms,"values":{series key: number, …}}}, in that order,
 *       numbers as JSON numbers.
 * </ul>
 */
public final class HostFields {
  /** The host's stable id (string). */
  public static final String HOST_ID = "host_id";

  /** The host's name as the collector reports it (string, may be empty). */
  public static final String HOSTNAME = "hostname";

  /** The operating system (string, may be empty). */
  public static final String OS = "os";

  /** Logical CPU count (integer). */
  public static final String CORES = "cores";

  /** Installed memory in bytes (integer). */
  public static final String MEMORY_TOTAL_BYTES = "memory_total_bytes";

  /** Event time of the host's newest snapshot, epoch ms (integer). */
  public static final String LAST_SEEN = "last_seen";

  /** In the host message only: the object of series key → newest value. */
  public static final String VALUES = "values";

  /** The fact fields of a host hash, in the order the job writes them. */
  public static final List<String> FACTS =
      List.of(HOST_ID, HOSTNAME, OS, CORES, MEMORY_TOTAL_BYTES, LAST_SEEN);

  private static final Set<String> FACT_SET = Set.copyOf(FACTS);

  private HostFields() {}

  /** Whether a hash field is a host fact; every other field of the hash is a series key. */
  public static boolean isFact(String field) {
    return FACT_SET.contains(field);
  }
}
