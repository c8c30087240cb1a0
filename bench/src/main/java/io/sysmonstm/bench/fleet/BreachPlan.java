package io.sysmonstm.bench.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When which simulated hosts breach, in snapshot numbers (ticks): every {@code every}-th host
 * (index {@code h % every == 0}) is breaching for {@code breachTicks} snapshots, then calm for
 * {@code pauseTicks}, over and over. The breaching hosts are staggered evenly over that cycle, so
 * breaches begin all through the run, none before {@code warmupTicks}. Only breaches that end while
 * the fleet still produces happen ({@code recover tick < totalTicks}): each one has a first
 * breaching snapshot and a first calm one after it.
 *
 * @param hosts hosts of the fleet
 * @param every one host in this many breaches
 * @param warmupTicks snapshots before the first breach
 * @param breachTicks breaching snapshots in a row
 * @param pauseTicks calm snapshots between two breaches of a host
 * @param totalTicks snapshots each host sends
 */
public record BreachPlan(
    int hosts, int every, long warmupTicks, long breachTicks, long pauseTicks, long totalTicks) {

  /** One breach of one host: its first breaching snapshot and the first calm one after it. */
  public record Breach(int host, long firstTick, long recoverTick) {
    public Breach {
      if (recoverTick <= firstTick) {
        throw new IllegalArgumentException("a breach recovers after it begins");
      }
    }
  }

  public BreachPlan {
    if (hosts < 1 || every < 1 || breachTicks < 1 || pauseTicks < 1) {
      throw new IllegalArgumentException("hosts, every, breachTicks, pauseTicks must be positive");
    }
    if (warmupTicks < 0 || totalTicks < 1) {
      throw new IllegalArgumentException("warmupTicks must not be negative, totalTicks positive");
    }
  }

  /** The plan in ticks of {@code interval} (durations rounded up to whole ticks). */
  public static BreachPlan of(
      int hosts,
      int every,
      Duration warmup,
      Duration breach,
      Duration pause,
      Duration interval,
      long totalTicks) {
    return new BreachPlan(
        hosts,
        every,
        ticksOf(warmup, interval),
        ticksOf(breach, interval),
        ticksOf(pause, interval),
        totalTicks);
  }

  private static long ticksOf(Duration d, Duration interval) {
    long iv = interval.toMillis();
    return (d.toMillis() + iv - 1) / iv;
  }

  /** Hosts that breach. */
  public int breachingHosts() {
    return (hosts + every - 1) / every;
  }

  /** Whether host {@code h} breaches at all. */
  public boolean breaches(int h) {
    return h % every == 0;
  }

  /** Whether host {@code h}'s snapshot {@code k} carries a breaching value. */
  public boolean breaching(int h, long k) {
    if (!breaches(h)) {
      return false;
    }
    long first = warmupTicks + offset(h);
    if (k < first) {
      return false;
    }
    long cycle = breachTicks + pauseTicks;
    long j = (k - first) / cycle;
    long begin = first + j * cycle;
    return k - begin < breachTicks && begin + breachTicks < totalTicks;
  }

  /** Every breach of the run, by host then time. */
  public List<Breach> all() {
    List<Breach> out = new ArrayList<>();
    long cycle = breachTicks + pauseTicks;
    for (int h = 0; h < hosts; h += every) {
      for (long begin = warmupTicks + offset(h); begin + breachTicks < totalTicks; begin += cycle) {
        out.add(new Breach(h, begin, begin + breachTicks));
      }
    }
    return out;
  }

  /** Where in the cycle host {@code h} begins: the breaching hosts spread evenly over it. */
  long offset(int h) {
    long cycle = breachTicks + pauseTicks;
    return (h / every) * cycle / breachingHosts();
  }
}
