package io.sysmonstm.relay.hosts;

import java.util.Objects;

/** A row of the PostgreSQL {@code hosts} table. */
public record HostRow(
    String hostId, String hostname, String os, int cores, long memoryTotalBytes, long lastSeenMs) {
  public HostRow {
    Objects.requireNonNull(hostId, "hostId");
    hostname = hostname == null ? "" : hostname;
    os = os == null ? "" : os;
  }
}
