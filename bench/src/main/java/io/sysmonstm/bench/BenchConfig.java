package io.sysmonstm.bench;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configuration of one benchmark run, read once from flags and environment variables.
 *
 * @param hosts simulated hosts
 * @param series series per host
 * @param interval time between two snapshots of a host
 * @param duration event time covered by the measured data, whole minutes (alert-latency: any
 *     duration long enough for one breach)
 * @param warmupDrain event time of a separate fleet (same shape) that the job drains before the
 *     measured run, in the same JVM, so that run finds the code compiled; zero: none (a cold JVM)
 * @param mode preload (drain a full topic), live (produce in real time) or alert-latency (live,
 *     event time = wall clock, breaches on a subset of hosts, alert events timed on Redis)
 * @param alerts whether the job evaluates alert rules (its built-in defaults; in alert-latency mode
 *     a rules file the run writes)
 * @param breaches alert-latency mode: which hosts breach when, and the sustained rule's {@code for}
 * @param parallelism job parallelism (and mini-cluster slots)
 * @param checkpointInterval the job's checkpoint interval
 * @param stateBackend {@code rocksdb} or {@code hashmap}
 * @param unalignedCheckpoints experiment: run the job with unaligned checkpoints
 * @param partitions partitions of the samples topic
 * @param kafkaBootstrap an external Kafka; empty starts one in this JVM
 * @param jdbcUrl an external PostgreSQL; empty starts one as a child process
 * @param jdbcUser database user
 * @param jdbcPassword database password
 * @param jdbcParams extra JDBC URL parameters for the job's sinks (e.g. {@code
 *     reWriteBatchedInserts=true})
 * @param redisUrl an external Redis; empty starts one as a child process
 * @param seed seed of the simulated values
 * @param start event time of the first snapshot; empty: two hours ago, on a whole minute
 * @param tag part of host ids, topic and consumer group; empty: random
 * @param discard experiment: sinks replaced by discarding ones (the job without them)
 * @param uiPort Flink web UI / REST port, 0 for any free port
 * @param timeout give up waiting for the job after this long
 * @param report where to write the report as JSON, if anywhere
 */
public record BenchConfig(
    int hosts,
    int series,
    Duration interval,
    Duration duration,
    Duration warmupDrain,
    Mode mode,
    boolean alerts,
    Breaches breaches,
    int parallelism,
    Duration checkpointInterval,
    String stateBackend,
    boolean unalignedCheckpoints,
    int partitions,
    Optional<String> kafkaBootstrap,
    Optional<String> jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Optional<String> jdbcParams,
    Optional<String> redisUrl,
    long seed,
    Optional<Instant> start,
    Optional<String> tag,
    Set<Sink> discard,
    int uiPort,
    Duration timeout,
    Optional<Path> report) {

  /** How the fleet's data reaches the job. */
  public enum Mode {
    /** Write everything first, then measure how fast the job drains it (maximum throughput). */
    PRELOAD,
    /** Produce at the fleet's nominal rate in real time and watch whether lag grows. */
    LIVE,
    /**
     * Live, with event times = the wall clock, and a subset of hosts breaching alert rules at known
     * instants: measures the time from the first breaching sample to its alert on Redis.
     */
    ALERT_LATENCY;

    /** Whether the fleet produces in real time while the job runs. */
    public boolean live() {
      return this != PRELOAD;
    }

    /** The flag's value: {@code preload}, {@code live}, {@code alert-latency}. */
    public String flag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Alert-latency mode: every {@code every}-th host (host index {@code h % every == 0}) sends a
   * breaching value on {@code bench.breach} for {@code duration}, then a calm one for {@code
   * pause}, again and again, the breaching hosts staggered over that cycle so breaches begin all
   * through the run; none before {@code warmup}.
   *
   * @param every one host in this many breaches
   * @param duration how long a breach lasts (longer than {@code sustainedFor} plus an interval)
   * @param pause calm time between two breaches of a host
   * @param warmup production time before the first breach (the job settles)
   * @param sustainedFor the {@code for} of the sustained rule
   */
  public record Breaches(
      int every, Duration duration, Duration pause, Duration warmup, Duration sustainedFor) {
    public Breaches {
      if (every < 1) {
        throw new ConfigException(
            "breach-every", "invalid setting --breach-every: must be at least 1, got " + every);
      }
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(pause, "pause");
      Objects.requireNonNull(warmup, "warmup");
      Objects.requireNonNull(sustainedFor, "sustainedFor");
    }
  }

  /** The job's sinks that an experiment can replace with a discarding sink. */
  public enum Sink {
    SAMPLES,
    LIVE,
    ROLLUP_1M,
    ROLLUP_1H,
    HOSTS;

    String flag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Longest interval: the tail that closes the last minute must stay inside the next one. */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(15);

  public BenchConfig {
    if (hosts < 1 || series < 1 || parallelism < 1 || partitions < 1) {
      throw new IllegalArgumentException("hosts, series, parallelism, partitions must be positive");
    }
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(warmupDrain, "warmupDrain");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(stateBackend, "stateBackend");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(breaches, "breaches");
    discard = Set.copyOf(discard);
    if (interval.compareTo(MAX_INTERVAL) > 0) {
      throw new ConfigException(
          "interval", "invalid setting --interval: must be at most 15s, got " + interval);
    }
    if (mode == Mode.ALERT_LATENCY) {
      checkAlertLatency(interval, duration, alerts, breaches, start);
    } else if (duration.isZero() || duration.toMillis() % 60_000 != 0) {
      throw new ConfigException(
          "duration",
          "invalid setting --duration: must be a whole number of minutes (1m, 2m, …), got "
              + duration);
    }
    if (warmupDrain.isNegative() || warmupDrain.toMillis() % 60_000 != 0) {
      throw new ConfigException(
          "warmup-drain",
          "invalid setting --warmup-drain: must be 0 or a whole number of minutes (1m, 2m, …), got "
              + Durations.format(warmupDrain));
    }
    if (discard.contains(Sink.ROLLUP_1M)) {
      throw new ConfigException(
          "discard",
          "invalid setting --discard: rollup-1m cannot be discarded, the run ends when its rows"
              + " are in PostgreSQL");
    }
  }

  /** Reads every flag of the benchmark from {@code s}; calls nothing else. */
  public static BenchConfig from(Settings s) {
    return new BenchConfig(
        s.integer("hosts", 10_000, 1, 1_000_000),
        s.integer("series", 20, 1, 1_000),
        s.duration("interval", Duration.ofSeconds(1), Duration.ofMillis(100)),
        s.duration("duration", Duration.ofMinutes(2), Duration.ofSeconds(10)),
        s.duration("warmup-drain", Duration.ofMinutes(1), Duration.ZERO),
        mode(s.string("mode", "preload")),
        s.bool("alerts", true),
        new Breaches(
            s.integer("breach-every", 10, 1, 1_000_000),
            s.duration("breach-duration", Duration.ofSeconds(30), Duration.ofSeconds(1)),
            s.duration("breach-pause", Duration.ofSeconds(30), Duration.ofSeconds(1)),
            s.duration("warmup", Duration.ofSeconds(30), Duration.ZERO),
            s.duration("sustained-for", Duration.ofSeconds(10), Duration.ofSeconds(1))),
        s.integer("parallelism", 2, 1, 64),
        s.duration("checkpoint-interval", Duration.ofSeconds(10), Duration.ofMillis(100)),
        stateBackend(s.string("state-backend", "rocksdb")),
        s.bool("unaligned-checkpoints", false),
        s.integer("partitions", 4, 1, 1024),
        s.optional("kafka-bootstrap").map(v -> s.hostPorts("kafka-bootstrap", v)),
        s.optional("jdbc-url").map(v -> s.jdbcUrl("jdbc-url", v)),
        s.string("jdbc-user", "sysmonstm"),
        s.secret("jdbc-password").orElse("sysmonstm"),
        s.optional("jdbc-params"),
        s.optional("redis-url")
            .map(v -> s.uri("redis-url", v, Set.of("redis", "rediss")).toString()),
        s.integer("seed", 42, Integer.MIN_VALUE, Integer.MAX_VALUE),
        s.optional("start").map(BenchConfig::instant),
        s.optional("tag").map(BenchConfig::tag),
        discard(s.string("discard", "")),
        s.port("ui-port", 0),
        s.duration("timeout", Duration.ofMinutes(30), Duration.ofSeconds(10)),
        s.optional("report").map(Path::of));
  }

  /**
   * The warm-up run before this one: the same job, fleet shape and servers, draining {@link
   * #warmupDrain} of event time preloaded into its own topic (its own random tag, so its rows are
   * apart from the measured run's), reporting nowhere and warming up nothing itself. In
   * alert-latency mode it runs the job's built-in rules.
   */
  public BenchConfig warmupRun() {
    if (warmupDrain.isZero()) {
      throw new IllegalStateException("no warm-up run: --warmup-drain is 0");
    }
    return new BenchConfig(
        hosts,
        series,
        interval,
        warmupDrain,
        Duration.ZERO,
        Mode.PRELOAD,
        alerts,
        breaches,
        parallelism,
        checkpointInterval,
        stateBackend,
        unalignedCheckpoints,
        partitions,
        kafkaBootstrap,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        jdbcParams,
        redisUrl,
        seed,
        Optional.empty(),
        Optional.empty(),
        discard,
        uiPort,
        timeout,
        Optional.empty());
  }

  /** Event time of the first snapshot. */
  public Instant startInstant(Instant now) {
    return start.orElse(now.minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES));
  }

  /** The run's tag: given, or six random characters. */
  public String tagOrRandom() {
    return tag.orElseGet(
        () ->
            Long.toString(
                ThreadLocalRandom.current()
                    .nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36),
                36));
  }

  private static void checkAlertLatency(
      Duration interval, Duration duration, boolean alerts, Breaches b, Optional<Instant> start) {
    if (!alerts) {
      throw new ConfigException(
          "alerts", "invalid setting --alerts: alert-latency mode needs the alert rules on");
    }
    if (start.isPresent()) {
      throw new ConfigException(
          "start", "invalid setting --start: in alert-latency mode event time is the wall clock");
    }
    if (b.duration().compareTo(b.sustainedFor().plus(interval.multipliedBy(2))) < 0) {
      throw new ConfigException(
          "breach-duration",
          "invalid setting --breach-duration: "
              + Durations.format(b.duration())
              + " must last at least --sustained-for "
              + Durations.format(b.sustainedFor())
              + " plus two intervals, or the sustained rule never fires");
    }
    if (b.warmup().plus(b.duration()).plus(interval).compareTo(duration) >= 0) {
      throw new ConfigException(
          "duration",
          "invalid setting --duration: "
              + Durations.format(duration)
              + " leaves no room for one breach after --warmup "
              + Durations.format(b.warmup())
              + " (a breach lasts --breach-duration "
              + Durations.format(b.duration())
              + ")");
    }
  }

  private static Mode mode(String v) {
    for (Mode m : Mode.values()) {
      if (m.flag().equals(v.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new ConfigException(
        "mode", "invalid setting --mode: '" + v + "' is not one of preload, live, alert-latency");
  }

  private static String stateBackend(String v) {
    String b = v.toLowerCase(Locale.ROOT);
    if (!b.equals("rocksdb") && !b.equals("hashmap")) {
      throw new ConfigException(
          "state-backend",
          "invalid setting --state-backend: '" + v + "' is not one of rocksdb, hashmap");
    }
    return b;
  }

  private static Instant instant(String v) {
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "start",
          "invalid setting --start: '" + v + "' is not an instant like 2025-11-23T08:00:00Z");
    }
  }

  private static String tag(String v) {
    if (!v.matches("[a-z0-9]{1,16}")) {
      throw new ConfigException(
          "tag", "invalid setting --tag: must be 1-16 lower-case letters or digits, got " + v);
    }
    return v;
  }

  private static Set<Sink> discard(String v) {
    Set<Sink> out = EnumSet.noneOf(Sink.class);
    for (String part : v.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      Sink match = null;
      for (Sink sink : Sink.values()) {
        if (sink.flag().equals(p)) {
          match = sink;
        }
      }
      if (match == null) {
        throw new ConfigException(
            "discard",
            "invalid setting --discard: '" + p + "' is not one of samples, live, rollup-1h, hosts");
      }
      out.add(match);
    }
    return out;
  }
}
