package io.sysmonstm.analytics.testing;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/**
 * A bounded source of snapshots in a fixed order, in two phases: it emits {@code before}, then
 * waits (without blocking its task, so periodic watermarks keep flowing) until the test calls
 * {@link #open}, then emits {@code after}. Lets a test make data late deterministically: wait until
 * a window has fired, then send data for it. Run it at parallelism 1.
 */
public final class GatedSource {
  private static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();

  private final String gate = UUID.randomUUID().toString();
  private final DataGeneratorSource<HostSnapshot> source;

  public GatedSource(List<HostSnapshot> before, List<HostSnapshot> after) {
    List<HostSnapshot> all = new ArrayList<>(before);
    all.addAll(after);
    this.source = source(TypeInformation.of(HostSnapshot.class), all, before.size(), gate);
  }

  public DataGeneratorSource<HostSnapshot> source() {
    return source;
  }

  /** Lets the second phase through. */
  public void open() {
    open(gate);
  }

  /**
   * A bounded source of {@code events} in order that stops before event {@code gateIndex} until
   * {@link #open(String)} is called with {@code gate} (without blocking its task: watermarks and
   * checkpoints go on).
   */
  public static <T> DataGeneratorSource<T> source(
      TypeInformation<T> type, List<T> events, long gateIndex, String gate) {
    GATES.put(gate, new CompletableFuture<>());
    @SuppressWarnings("unchecked")
    T[] elements = events.toArray((T[]) Array.newInstance(type.getTypeClass(), 0));
    return new DataGeneratorSource<>(
        new FromElementsGeneratorFunction<>(type, elements),
        events.size(),
        new GateStrategy(gate, gateIndex),
        type);
  }

  /** Lets the source of {@code gate} go past its gate. */
  public static void open(String gate) {
    GATES.get(gate).complete(null);
  }

  private record GateStrategy(String gate, long gateIndex)
      implements RateLimiterStrategy<NumberSequenceSplit> {

    @Override
    public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
      return new RateLimiter<>() {
        private long acquired;

        @Override
        public CompletionStage<Void> acquire(int numberOfEvents) {
          long index = acquired;
          acquired += numberOfEvents;
          return index == gateIndex ? GATES.get(gate) : CompletableFuture.completedFuture(null);
        }
      };
    }
  }
}
