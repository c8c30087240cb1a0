package io.sysmonstm.analytics.rollup;

import java.util.Objects;

/**
 * One row of {@code hosts}: facts and the seen range of a host, as of one bucket.
 *
 * @param hostId host
 * @param hostname host name
 * @param os operating system
 * @param cores logical processors
 * @param memoryTotalBytes physical memory
 * @param firstSeenMs oldest snapshot in the bucket, epoch ms
 * @param lastSeenMs newest snapshot in the bucket, epoch ms
 */
public record HostRow(
    String hostId,
    String hostname,
    String os,
    int cores,
    long memoryTotalBytes,
    long firstSeenMs,
    long lastSeenMs) {

  public HostRow {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    if (firstSeenMs > lastSeenMs) {
      throw new IllegalArgumentException("firstSeenMs is after lastSeenMs");
    }
  }

  /**
   * What {@code hosts} holds after this row and then {@code newer} (same host) were upserted: the
   * facts of the later seen one, the union of the seen ranges.
   */
  public HostRow mergedWith(HostRow newer) {
    HostRow facts = newer.lastSeenMs >= lastSeenMs ? newer : this;
    return new HostRow(
        facts.hostId,
        facts.hostname,
        facts.os,
        facts.cores,
        facts.memoryTotalBytes,
        Math.min(firstSeenMs, newer.firstSeenMs),
        Math.max(lastSeenMs, newer.lastSeenMs));
  }
}
