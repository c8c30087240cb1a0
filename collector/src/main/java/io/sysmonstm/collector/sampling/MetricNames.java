package io.sysmonstm.collector.sampling;

/** The metric and attribute names of the core series (docs/design.md, Core series). */
public final class MetricNames {
  public static final String CPU_UTILIZATION = "system.cpu.utilization";
  public static final String MEMORY_UTILIZATION = "system.memory.utilization";
  public static final String PAGING_UTILIZATION = "system.paging.utilization";
  public static final String MEMORY_USAGE = "system.memory.usage";
  public static final String FILESYSTEM_UTILIZATION = "system.filesystem.utilization";
  public static final String NETWORK_IO_RATE = "system.network.io.rate";
  public static final String DISK_IO_RATE = "system.disk.io.rate";
  public static final String LOAD_AVERAGE_1M = "system.cpu.load_average.1m";
  public static final String LOAD_AVERAGE_5M = "system.cpu.load_average.5m";
  public static final String LOAD_AVERAGE_15M = "system.cpu.load_average.15m";
  public static final String PROCESS_COUNT = "system.process.count";
  public static final String UPTIME = "system.uptime";

  public static final String ATTR_CPU = "cpu";
  public static final String ATTR_STATE = "state";
  public static final String ATTR_MOUNTPOINT = "mountpoint";
  public static final String ATTR_DEVICE = "device";
  public static final String ATTR_DIRECTION = "direction";

  private MetricNames() {}
}
