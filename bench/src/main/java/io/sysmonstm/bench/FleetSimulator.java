package io.sysmonstm.bench;

import io.sysmonstm.bench.fleet.BreachPlan;
import io.sysmonstm.bench.fleet.FleetSpec;
import io.sysmonstm.bench.fleet.SimulatedSeries;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated fleet: {@code hosts} hosts, each sending one snapshot of {@code seriesPerHost} series
 * every {@code interval} of event time, as {@link MetricBatch} records keyed by host id (as ingress
 * writes them) straight to Kafka. Ingress is not involved: the benchmark measures the job alone.
 *
 * <p>Everything is a function of the {@link FleetSpec}: host {@code h}'s snapshot number {@code k}
 * has event time {@code start + k × interval + phase(h)} (a fixed phase below one interval, so
 * hosts do not all sample at the same instant), sequence number {@code k + 1}, and values derived
 * from the seed, the host, the series and {@code k}. With a {@link BreachPlan} the last series of
 * each host is {@code bench.breach}, breaching (0.95) when the plan says so and calm (0.2)
 * otherwise.
 */
public final class FleetSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSimulator.class);
  private static final long GIB = 1L << 30;

  /** Value of {@code bench.breach} while a host breaches. */
  public static final double BREACHING = 0.95;

  /** Value of {@code bench.breach} while a host is calm. */
  public static final double CALM = 0.2;

  private final FleetSpec spec;
  private final BreachPlan breaches;
  private final List<SimulatedSeries> series;
  private final long intervalMs;
  private final String[] hostIds;
  private final String[] runIds;
  private final HostFacts[] facts;
  private final Sample[] prototypes;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong maxSendDelayNanos = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public FleetSimulator(FleetSpec spec) {
    this(spec, null);
  }

  /** A fleet whose hosts breach as {@code breaches} says (null: no breaching series). */
  public FleetSimulator(FleetSpec spec, BreachPlan breaches) {
    this.spec = Objects.requireNonNull(spec, "spec");
    if (breaches != null && breaches.hosts() != spec.hosts()) {
      throw new IllegalArgumentException("the breach plan is for another number of hosts");
    }
    this.breaches = breaches;
    this.series =
        breaches == null
            ? SimulatedSeries.catalog(spec.seriesPerHost())
            : SimulatedSeries.catalogWithBreach(spec.seriesPerHost());
    this.intervalMs = spec.interval().toMillis();
    this.hostIds = new String[spec.hosts()];
    this.runIds = new String[spec.hosts()];
    this.facts = new HostFacts[spec.hosts()];
    int cores = SimulatedSeries.cores(spec.seriesPerHost());
    for (int h = 0; h < spec.hosts(); h++) {
      hostIds[h] = String.format("sim-%s-%05d", spec.tag(), h);
      runIds[h] = new UUID(mix(spec.seed(), h, -1, 1), mix(spec.seed(), h, -1, 2)).toString();
      facts[h] =
          HostFacts.newBuilder()
              .setHostname(hostIds[h] + ".fleet.example")
              .setOs("Linux 6.1 (simulated)")
              .setCores(cores)
              .setMemoryTotalBytes(memoryTotal(h))
              .setCollectorVersion("bench")
              .build();
    }
    this.prototypes = new Sample[series.size()];
    for (int s = 0; s < series.size(); s++) {
      prototypes[s] =
          Sample.newBuilder()
              .setMetric(series.get(s).metric())
              .putAllAttributes(series.get(s).attrs())
              .build();
    }
  }

  public FleetSpec spec() {
    return spec;
  }

  /** When which hosts breach; null without breaches. */
  public BreachPlan breachPlan() {
    return breaches;
  }

  /** The series every host sends, in snapshot order. */
  public List<SimulatedSeries> series() {
    return series;
  }

  /** Id of host {@code h} (0-based), e.g. {@code sim-ab12-00042}. */
  public String hostId(int h) {
    return hostIds[h];
  }

  /** Event time of host {@code h}'s snapshot number {@code k}, epoch ms. */
  public long timestampMs(int h, long k) {
    return spec.start().toEpochMilli() + k * intervalMs + phaseMs(h);
  }

  /** Where in the interval host {@code h} samples: 0 ≤ phase < interval. */
  long phaseMs(int h) {
    return Math.floorMod(mix(spec.seed(), h, -2, 0), intervalMs);
  }

  /** Host {@code h}'s batch number {@code k} (one snapshot). */
  public MetricBatch batch(int h, long k) {
    long ts = timestampMs(h, k);
    Snapshot.Builder snapshot = Snapshot.newBuilder().setTimestampMs(ts);
    for (int s = 0; s < prototypes.length; s++) {
      snapshot.addSamples(prototypes[s].toBuilder().setValue(value(h, s, k, ts)));
    }
    return MetricBatch.newBuilder()
        .setHostId(hostIds[h])
        .setRunId(runIds[h])
        .setSeq(k + 1)
        .setFacts(facts[h])
        .addSnapshots(snapshot)
        .build();
  }

  /** The value of host {@code h}'s series {@code s} in snapshot {@code k} taken at {@code ts}. */
  double value(int h, int s, long k, long ts) {
    double base = unit(mix(spec.seed(), h, s, -3)); // the host's level for this series
    double noise = unit(mix(spec.seed(), h, s, k)) - 0.5; // this instant's deviation
    return switch (series.get(s).kind()) {
      case RATIO -> clamp(0.05 + 0.8 * base + 0.1 * noise);
      case BYTES -> Math.rint(memoryTotal(h) * clamp(0.1 + 0.6 * base + 0.02 * noise));
      case RATE -> Math.rint(1e8 * base * (1 + noise));
      case LOAD -> SimulatedSeries.cores(spec.seriesPerHost()) * clamp(0.8 * base + 0.1 * noise);
      case COUNT -> Math.rint(120 + 300 * base + 10 * noise);
      case UPTIME -> Math.rint((ts - (spec.start().toEpochMilli() - bootAgoMs(h))) / 1000.0);
      case BREACH -> breaches != null && breaches.breaching(h, k) ? BREACHING : CALM;
    };
  }

  private long memoryTotal(int h) {
    return (8L << (h % 4)) * GIB; // 8, 16, 32 or 64 GiB
  }

  private long bootAgoMs(int h) {
    return Math.floorMod(mix(spec.seed(), h, -4, 0), TimeUnit.DAYS.toMillis(30));
  }

  /**
   * Sends snapshots {@code 0 … ticks-1} of every host as fast as the producer takes them (tick by
   * tick, all hosts per tick, as a fleet would), then waits for every acknowledgement.
   */
  public void preload(Producer<String, byte[]> producer, String topic, long ticks) {
    LOG.info(
        "Writing {} snapshots of {} hosts to {} as fast as Kafka takes them",
        ticks * hostIds.length,
        hostIds.length,
        topic);
    for (long k = 0; k < ticks; k++) {
      for (int h = 0; h < hostIds.length; h++) {
        send(producer, topic, h, k);
      }
    }
    producer.flush();
    checkFailures();
  }

  /**
   * Sends snapshots {@code 0 … ticks-1} in real time, starting now: see {@link #live(Producer,
   * String, long, BooleanSupplier, boolean)}.
   */
  public void live(
      Producer<String, byte[]> producer, String topic, long ticks, BooleanSupplier stop) {
    live(producer, topic, ticks, stop, false);
  }

  /**
   * Sends snapshots {@code 0 … ticks-1} in real time, so the fleet produces at its nominal rate.
   * Each interval is cut in slices (50 ms at 1 s); a host goes out in the slice of its phase, at
   * the end of that slice, so a snapshot is never sent before its place in the interval. With
   * {@code wallClock} interval {@code k} is the wall-clock interval of its event time (tick 0 at
   * the fleet's start, waited for): a snapshot leaves at most one slice after its own timestamp.
   * Without it interval 0 begins now. Falls behind (and says so in {@link #sent()} and {@link
   * #maxSendDelayMs()}) only when the producer cannot keep up. Stops early when {@code stop}
   * answers true.
   */
  public void live(
      Producer<String, byte[]> producer,
      String topic,
      long ticks,
      BooleanSupplier stop,
      boolean wallClock) {
    LOG.info(
        "Producing {} snapshots/s ({} samples/s) to {} in real time for {} intervals",
        Math.round(spec.snapshotsPerSecond()),
        Math.round(spec.samplesPerSecond()),
        topic,
        ticks);
    int slices = slices();
    int[][] bySlice = hostsBySlice(slices);
    long ivNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    // with breaches, the delay that matters is the one while hosts breach
    long measureDelayFrom = breaches == null ? 0 : breaches.warmupTicks();
    long t0 =
        wallClock
            ? System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(
                    spec.start().toEpochMilli() - System.currentTimeMillis())
            : System.nanoTime();
    for (long k = 0; k < ticks && !stop.getAsBoolean(); k++) {
      for (int slice = 0; slice < slices; slice++) {
        long due = t0 + k * ivNanos + ivNanos * (slice + 1) / slices;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        for (int h : bySlice[slice]) {
          send(producer, topic, h, k);
        }
        long late = System.nanoTime() - due;
        if (k >= measureDelayFrom && late > maxSendDelayNanos.get()) {
          maxSendDelayNanos.set(late);
        }
      }
    }
    producer.flush();
    checkFailures();
  }

  /** Waits until the wall clock reaches the fleet's start (returns at once when it has). */
  public void awaitStart() {
    long wait;
    while ((wait = spec.start().toEpochMilli() - System.currentTimeMillis()) > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
    }
  }

  /** Slices of an interval in live mode: 50 ms each, at most 20. */
  int slices() {
    return (int) Math.max(1, Math.min(20, intervalMs / 50));
  }

  /** Host indexes by the slice of the interval their phase falls in. */
  int[][] hostsBySlice(int slices) {
    int[] counts = new int[slices];
    int[] slice = new int[hostIds.length];
    for (int h = 0; h < hostIds.length; h++) {
      slice[h] = (int) (phaseMs(h) * slices / intervalMs);
      counts[slice[h]]++;
    }
    int[][] out = new int[slices][];
    for (int s = 0; s < slices; s++) {
      out[s] = new int[counts[s]];
      counts[s] = 0;
    }
    for (int h = 0; h < hostIds.length; h++) {
      out[slice[h]][counts[slice[h]]++] = h;
    }
    return out;
  }

  /**
   * Live mode: the longest time a slice's last snapshot was handed to the producer after the slice
   * was due, in ms (0 when the simulator kept its schedule to the millisecond); with a breach plan,
   * from the end of its warm-up on.
   */
  public long maxSendDelayMs() {
    return TimeUnit.NANOSECONDS.toMillis(maxSendDelayNanos.get());
  }

  private void send(Producer<String, byte[]> producer, String topic, int h, long k) {
    byte[] value = batch(h, k).toByteArray();
    bytes.addAndGet(value.length);
    sent.incrementAndGet();
    producer.send(new ProducerRecord<>(topic, hostIds[h], value), ackCounter);
  }

  private final Callback ackCounter =
      (metadata, e) -> {
        if (e == null) {
          acked.incrementAndGet();
        } else {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, e);
        }
      };

  private void checkFailures() {
    if (failed.get() > 0) {
      throw new IllegalStateException(
          failed.get() + " snapshots were not written to Kafka", firstFailure.get());
    }
  }

  /** Records handed to the producer so far. */
  public long sent() {
    return sent.get();
  }

  /** Records Kafka acknowledged so far. */
  public long acked() {
    return acked.get();
  }

  /** Encoded bytes of the records sent so far (before compression). */
  public long bytes() {
    return bytes.get();
  }

  /**
   * A producer for loading the topic fast: idempotent, {@code acks=all}, lz4, large batches with a
   * short linger.
   */
  public static Producer<String, byte[]> producer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sysmonstm-bench-fleet");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** A double in [0, 1) from 53 bits of {@code x}. */
  private static double unit(long x) {
    return (x >>> 11) * 0x1.0p-53;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  /** SplitMix64 over the four inputs: a stateless, well-mixed hash. */
  static long mix(long seed, long a, long b, long c) {
    long x = seed;
    x = splitmix(x ^ a);
    x = splitmix(x ^ b);
    x = splitmix(x ^ c);
    return x;
  }

  private static long splitmix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "FleetSimulator[" + spec + "]";
  }
}
