package io.sysmonstm.collector.sampling;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One raw reading of the machine. Counters (CPU ticks, bytes) only grow while the machine runs; the
 * {@link Sampler} divides the difference of two readings by the time between them.
 *
 * @param epochMillis wall-clock time of the reading, the samples' event time
 * @param monotonicNanos a monotonic clock ({@link System#nanoTime()}), for elapsed time only
 * @param cpu ticks of the whole machine
 * @param cores ticks per logical processor, in processor order
 * @param memory physical memory and swap
 * @param fileStores local file systems (no pseudo or network file systems)
 * @param networks network interfaces without loopback
 * @param disks physical disks
 * @param load load averages; negative or NaN where the OS has none (Windows)
 * @param processCount running processes, negative when unknown
 * @param uptimeSeconds seconds since boot, negative when unknown
 */
public record Reading(
    long epochMillis,
    long monotonicNanos,
    CpuTicks cpu,
    List<CpuTicks> cores,
    Memory memory,
    List<FileStore> fileStores,
    List<NetworkCounters> networks,
    List<DiskCounters> disks,
    Load load,
    int processCount,
    long uptimeSeconds) {

  public Reading {
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(load, "load");
    cores = List.copyOf(cores);
    fileStores = List.copyOf(fileStores);
    networks = List.copyOf(networks);
    disks = List.copyOf(disks);
  }

  /**
   * CPU time in ticks since boot.
   *
   * @param total ticks in every state
   * @param idle ticks idle or waiting for I/O (OSHI's IDLE + IOWAIT, as its own load calculation)
   */
  public record CpuTicks(long total, long idle) {
    public CpuTicks {
      if (total < 0 || idle < 0) {
        throw new IllegalArgumentException("ticks must not be negative: " + total + ", " + idle);
      }
    }
  }

  /**
   * Physical memory and swap in bytes.
   *
   * @param total physical memory
   * @param available memory that can be handed to programs without swapping
   * @param cached page cache, where the OS reports it (Linux), part of {@code available}
   * @param swapTotal swap space
   * @param swapUsed swap in use
   */
  public record Memory(
      long total, long available, OptionalLong cached, long swapTotal, long swapUsed) {
    public Memory {
      Objects.requireNonNull(cached, "cached");
    }
  }

  /**
   * A mounted file system, sizes in bytes.
   *
   * @param mount mount point, e.g. {@code /} or {@code C:\}
   * @param device the volume, e.g. {@code /dev/sda1}
   * @param total size
   * @param free free space, including space reserved for root
   * @param usable free space ordinary users can use
   */
  public record FileStore(String mount, String device, long total, long free, long usable) {
    public FileStore {
      Objects.requireNonNull(mount, "mount");
      Objects.requireNonNull(device, "device");
    }
  }

  /** Byte counters of one network interface since boot. */
  public record NetworkCounters(String device, long bytesReceived, long bytesSent) {
    public NetworkCounters {
      Objects.requireNonNull(device, "device");
    }
  }

  /** Byte counters of one disk since boot. */
  public record DiskCounters(String device, long bytesRead, long bytesWritten) {
    public DiskCounters {
      Objects.requireNonNull(device, "device");
    }
  }

  /** Load averages over 1, 5 and 15 minutes; negative or NaN when unavailable. */
  public record Load(double oneMinute, double fiveMinutes, double fifteenMinutes) {}
}
