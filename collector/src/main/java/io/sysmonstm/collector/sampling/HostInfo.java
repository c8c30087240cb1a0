package io.sysmonstm.collector.sampling;

import java.util.Objects;

/**
 * Facts about the host sent with every batch.
 *
 * @param hostname the name the host reports for itself
 * @param os operating system family, version and kernel
 * @param cores logical processors
 * @param memoryTotalBytes physical memory
 */
public record HostInfo(String hostname, String os, int cores, long memoryTotalBytes) {
  public HostInfo {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    if (cores < 0) {
      throw new IllegalArgumentException("cores must not be negative: " + cores);
    }
    if (memoryTotalBytes < 0) {
      throw new IllegalArgumentException(
          "memoryTotalBytes must not be negative: " + memoryTotalBytes);
    }
  }
}
