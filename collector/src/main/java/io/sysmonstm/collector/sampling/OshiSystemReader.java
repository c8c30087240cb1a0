package io.sysmonstm.collector.sampling;

import io.sysmonstm.collector.sampling.Reading.CpuTicks;
import io.sysmonstm.collector.sampling.Reading.DiskCounters;
import io.sysmonstm.collector.sampling.Reading.FileStore;
import io.sysmonstm.collector.sampling.Reading.Load;
import io.sysmonstm.collector.sampling.Reading.Memory;
import io.sysmonstm.collector.sampling.Reading.NetworkCounters;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Reads the machine through OSHI. Cheap to construct: OSHI looks things up on the first read, on
 * the sampling thread. Loopback interfaces, pseudo and network file systems and empty disks are
 * left out. Disks are named as OpenTelemetry does ({@code sda}, not {@code /dev/sda}); file systems
 * keep their volume ({@code /dev/sda1}).
 */
public final class OshiSystemReader implements SystemReader {
  private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");

  private final SystemInfo system = new SystemInfo();
  private final Clock clock;

  public OshiSystemReader() {
    this(Clock.systemUTC());
  }

  public OshiSystemReader(Clock clock) {
    this.clock = clock;
  }

  @Override
  public HostInfo host() {
    OperatingSystem os = system.getOperatingSystem();
    HardwareAbstractionLayer hw = system.getHardware();
    String hostname = os.getNetworkParams().getHostName();
    return new HostInfo(
        hostname == null ? "" : hostname,
        os.toString(),
        hw.getProcessor().getLogicalProcessorCount(),
        hw.getMemory().getTotal());
  }

  @Override
  public Reading read() {
    HardwareAbstractionLayer hw = system.getHardware();
    OperatingSystem os = system.getOperatingSystem();
    CentralProcessor cpu = hw.getProcessor();
    long epochMillis = clock.millis();
    long nanos = System.nanoTime();

    CpuTicks total = ticks(cpu.getSystemCpuLoadTicks());
    List<CpuTicks> cores = new ArrayList<>();
    for (long[] core : cpu.getProcessorCpuLoadTicks()) {
      cores.add(ticks(core));
    }
    double[] load = cpu.getSystemLoadAverage(3);

    return new Reading(
        epochMillis,
        nanos,
        total,
        cores,
        memory(hw.getMemory()),
        fileStores(os),
        networks(hw),
        disks(hw),
        new Load(load[0], load[1], load[2]),
        os.getProcessCount(),
        os.getSystemUptime());
  }

  /** Idle is IDLE + IOWAIT, as in OSHI's own {@code getSystemCpuLoadBetweenTicks}. */
  private static CpuTicks ticks(long[] t) {
    long total = 0;
    for (long v : t) {
      total += Math.max(0, v);
    }
    long idle =
        Math.max(0, t[TickType.IDLE.getIndex()]) + Math.max(0, t[TickType.IOWAIT.getIndex()]);
    return new CpuTicks(total, Math.min(idle, total));
  }

  private static Memory memory(GlobalMemory m) {
    VirtualMemory vm = m.getVirtualMemory();
    return new Memory(
        m.getTotal(), m.getAvailable(), linuxPageCache(), vm.getSwapTotal(), vm.getSwapUsed());
  }

  /** "Cached:" of /proc/meminfo in bytes; empty elsewhere (OSHI does not report it). */
  private static OptionalLong linuxPageCache() {
    if (!Files.isReadable(PROC_MEMINFO)) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(PROC_MEMINFO, StandardCharsets.US_ASCII)) {
        if (line.startsWith("Cached:")) {
          String[] parts = line.substring("Cached:".length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  private static List<FileStore> fileStores(OperatingSystem os) {
    List<FileStore> out = new ArrayList<>();
    for (OSFileStore fs : os.getFileSystem().getFileStores(true)) {
      if (fs.getTotalSpace() > 0) {
        out.add(
            new FileStore(
                fs.getMount(),
                fs.getVolume() == null || fs.getVolume().isEmpty() ? fs.getName() : fs.getVolume(),
                fs.getTotalSpace(),
                fs.getFreeSpace(),
                fs.getUsableSpace()));
      }
    }
    return out;
  }

  private static List<NetworkCounters> networks(HardwareAbstractionLayer hw) {
    List<NetworkCounters> out = new ArrayList<>();
    for (NetworkIF nif : hw.getNetworkIFs(false)) {
      if (!isLoopback(nif)) {
        out.add(new NetworkCounters(nif.getName(), nif.getBytesRecv(), nif.getBytesSent()));
      }
    }
    return out;
  }

  private static boolean isLoopback(NetworkIF nif) {
    NetworkInterface ni = nif.queryNetworkInterface();
    try {
      return ni != null && ni.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  private static List<DiskCounters> disks(HardwareAbstractionLayer hw) {
    List<DiskCounters> out = new ArrayList<>();
    for (HWDiskStore disk : hw.getDiskStores()) {
      if (disk.getSize() > 0) {
        String name = disk.getName();
        // Linux names disks /dev/sda; OpenTelemetry's device attribute is "sda"
        String device = name.startsWith("/dev/") ? name.substring(5) : name;
        out.add(new DiskCounters(device, disk.getReadBytes(), disk.getWriteBytes()));
      }
    }
    return out;
  }
}
