package io.sysmonstm.collector.sampling;

/**
 * Raw readings of one machine: counters and gauges as the operating system reports them, with no
 * arithmetic on them. {@link Sampler} turns two successive readings into samples.
 */
public interface SystemReader {
  /** Facts that change rarely: host name, operating system, logical processors, memory size. */
  HostInfo host();

  /** Everything the sampler needs at this instant. */
  Reading read();
}
