package io.sysmonstm.collector.sampling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Hands out prepared readings in order; fails loudly when a test reads more than it prepared. */
public final class FakeSystemReader implements SystemReader {
  public static final HostInfo HOST =
      new HostInfo("web-1.example", "Debian GNU/Linux 12", 4, 16L << 30);

  private final Deque<Reading> readings;

  public FakeSystemReader(List<Reading> readings) {
    this.readings = new ArrayDeque<>(readings);
  }

  @Override
  public HostInfo host() {
    return HOST;
  }

  @Override
  public synchronized Reading read() {
    Reading r = readings.poll();
    if (r == null) {
      throw new IllegalStateException("no more fake readings");
    }
    return r;
  }
}
