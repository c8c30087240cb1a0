package io.sysmonstm.analytics.snapshot;

import java.util.Objects;

/**
 * Facts about a host that change rarely, as its collector reports them in every batch.
 *
 * @param hostname host name as the host reports it
 * @param os operating system family and version
 * @param cores logical processors, 0 when unknown
 * @param memoryTotalBytes physical memory, 0 when unknown
 * @param collectorVersion version of the collector that sent the batch
 */
public record HostFacts(
    String hostname, String os, int cores, long memoryTotalBytes, String collectorVersion) {

  /** Facts of a host that did not report any. */
  public static final HostFacts UNKNOWN = new HostFacts("", "", 0, 0, "");

  public HostFacts {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(collectorVersion, "collectorVersion");
    if (cores < 0) {
      throw new IllegalArgumentException("cores must not be negative, got " + cores);
    }
    if (memoryTotalBytes < 0) {
      throw new IllegalArgumentException(
          "memoryTotalBytes must not be negative, got " + memoryTotalBytes);
    }
  }
}
