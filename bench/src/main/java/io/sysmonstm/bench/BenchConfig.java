package io.sysmonstm.bench;

import io.sysmonstm.config.Durations;
import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import java.net.URI;
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
import java.util.stream.Collectors;

/**
 * Configuration of one benchmark run, read once from flags and environment variables; each setting
 * is described once, in {@link #SETTINGS} ({@code --help}, the table in bench/README.md).
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
      BREACH_EVERY.check(every);
      BREACH_DURATION.check(duration);
      BREACH_PAUSE.check(pause);
      WARMUP.check(warmup);
      SUSTAINED_FOR.check(sustainedFor);
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

  private static final String ALERT_LATENCY = "Alert-latency mode only";
  private static final String EXPERIMENTS = "Experiments";

  public static final Setting<Integer> HOSTS =
      Setting.integer("hosts").defaultValue(10_000).between(1, 1_000_000).doc("simulated hosts");
  public static final Setting<Integer> SERIES =
      Setting.integer("series").defaultValue(20).between(1, 1_000).doc("series per host");
  public static final Setting<Duration> INTERVAL =
      Setting.duration("interval")
          .defaultValue(Duration.ofSeconds(1))
          .atLeast(Duration.ofMillis(100))
          .atMost(MAX_INTERVAL)
          .doc("time between two snapshots of a host");
  public static final Setting<Duration> DURATION =
      Setting.duration("duration")
          .defaultValue(Duration.ofMinutes(2))
          .atLeast(Duration.ofSeconds(10))
          .doc(
              "event time covered, whole minutes (live: also the wall-clock production time;"
                  + " alert-latency: any duration that holds one breach)");
  public static final Setting<Duration> WARMUP_DRAIN =
      Setting.duration("warmup-drain")
          .defaultValue(Duration.ofMinutes(1))
          .check(
              (d, shown) ->
                  d.isNegative() || d.toMillis() % 60_000 != 0
                      ? "must be 0 or a whole number of minutes (1m, 2m, …), got "
                          + Durations.format(d)
                      : null)
          .doc(
              "event time (whole minutes) of the warm-up fleet drained before the measured run;"
                  + " `0`: none, a cold JVM");
  public static final Setting<Mode> MODE =
      Setting.choice("mode", Mode.class)
          .defaultValue(Mode.PRELOAD)
          .doc("`preload` (drain a full topic), `live` (produce in real time) or `alert-latency`");
  public static final Setting<Boolean> ALERTS =
      Setting.bool("alerts")
          .defaultValue(true)
          .doc(
              "the job evaluates alert rules (its built-in defaults; alert-latency: the run's rules"
                  + " file); `false` leaves the alert branch out");
  public static final Setting<Integer> PARALLELISM =
      Setting.integer("parallelism")
          .defaultValue(2)
          .between(1, 64)
          .doc("job parallelism = mini-cluster slots");
  public static final Setting<Duration> CHECKPOINT_INTERVAL =
      Setting.duration("checkpoint-interval")
          .defaultValue(Duration.ofSeconds(10))
          .atLeast(Duration.ofMillis(100))
          .doc("the job's checkpoint interval (exactly-once, to a temporary directory)");
  public static final Setting<String> STATE_BACKEND =
      Setting.oneOf("state-backend", "rocksdb", "hashmap")
          .defaultValue("rocksdb")
          .doc("`rocksdb` (incremental checkpoints) or `hashmap`");
  public static final Setting<Integer> PARTITIONS =
      Setting.integer("partitions")
          .defaultValue(4)
          .between(1, 1024)
          .doc("partitions of the run's samples topic");
  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.hostPorts("kafka-bootstrap")
          .shownDefault("(embedded)")
          .doc("use this Kafka instead of one in the bench JVM");
  public static final Setting<String> JDBC_URL =
      Setting.jdbcUrl("jdbc-url")
          .shownDefault("(embedded)")
          .doc("use this PostgreSQL (the schema is migrated)");
  public static final Setting<String> JDBC_USER =
      Setting.string("jdbc-user").defaultValue("sysmonstm").doc("database user");
  public static final Setting<String> JDBC_PASSWORD =
      Setting.string("jdbc-password").secret().defaultValue("sysmonstm").doc("database password");
  public static final Setting<URI> REDIS_URL =
      Setting.uri("redis-url", "redis", "rediss").shownDefault("(embedded)").doc("use this Redis");
  public static final Setting<Integer> SEED =
      Setting.integer("seed").defaultValue(42).doc("seed of the simulated values");
  public static final Setting<Instant> START =
      Setting.of("start", BenchConfig::instant, Instant::toString, true)
          .shownDefault("2 h ago, on a whole minute")
          .doc("event time of the first snapshot, ISO-8601 (`2025-11-23T06:00:00Z`)");
  public static final Setting<String> TAG =
      Setting.string("tag")
          .check(
              t -> t.matches("[a-z0-9]{1,16}"),
              shown -> "must be 1-16 lower-case letters or digits, got " + shown)
          .shownDefault("(random)")
          .doc("part of topic, group and host ids");
  public static final Setting<Duration> TIMEOUT =
      Setting.duration("timeout")
          .defaultValue(Duration.ofMinutes(30))
          .atLeast(Duration.ofSeconds(10))
          .doc("give up (report INCOMPLETE) after this long");
  public static final Setting<Path> REPORT =
      Setting.path("report").doc("also write the report as JSON to this file");
  public static final Setting<Integer> UI_PORT =
      Setting.port("ui-port").defaultValue(0).doc("Flink web UI / REST port (0: any free port)");
  public static final Setting<Integer> BREACH_EVERY =
      Setting.integer("breach-every")
          .defaultValue(10)
          .between(1, 1_000_000)
          .group(ALERT_LATENCY)
          .doc("hosts with index `h % N == 0` breach (1 in 10)");
  public static final Setting<Duration> BREACH_DURATION =
      Setting.duration("breach-duration")
          .defaultValue(Duration.ofSeconds(30))
          .atLeast(Duration.ofSeconds(1))
          .group(ALERT_LATENCY)
          .doc("a breach lasts this long (≥ `--sustained-for` + 2 intervals)");
  public static final Setting<Duration> BREACH_PAUSE =
      Setting.duration("breach-pause")
          .defaultValue(Duration.ofSeconds(30))
          .atLeast(Duration.ofSeconds(1))
          .group(ALERT_LATENCY)
          .doc("calm time between two breaches of a host");
  public static final Setting<Duration> WARMUP =
      Setting.duration("warmup")
          .defaultValue(Duration.ofSeconds(30))
          .atLeast(Duration.ZERO)
          .group(ALERT_LATENCY)
          .doc("production time before the first breach (the job settles after its start)");
  public static final Setting<Duration> SUSTAINED_FOR =
      Setting.duration("sustained-for")
          .defaultValue(Duration.ofSeconds(10))
          .atLeast(Duration.ofSeconds(1))
          .group(ALERT_LATENCY)
          .doc("the `for` of the sustained rule");
  public static final Setting<Set<Sink>> DISCARD =
      Setting.of("discard", BenchConfig::discard, BenchConfig::sinkList, true)
          .defaultValue(Set.of())
          .shownDefault("(none)")
          .check(
              d -> !d.contains(Sink.ROLLUP_1M),
              shown ->
                  "rollup-1m cannot be discarded, the run ends when its rows are in PostgreSQL")
          .group(EXPERIMENTS)
          .doc(
              "replaces those sinks (`samples,live,rollup-1h,hosts`) with discarding ones"
                  + " (`AnalyticsJob.productionBuilder`)");
  public static final Setting<String> JDBC_PARAMS =
      Setting.string("jdbc-params")
          .group(EXPERIMENTS)
          .doc("extra parameters on the sinks' JDBC URL, e.g. `reWriteBatchedInserts=true`");
  public static final Setting<Boolean> UNALIGNED_CHECKPOINTS =
      Setting.bool("unaligned-checkpoints")
          .defaultValue(false)
          .group(EXPERIMENTS)
          .doc(
              "`execution.checkpointing.unaligned.enabled=true` on top of"
                  + " `AnalyticsJob.configure`");

  /** Every setting of the benchmark, in the order of {@code --help} and bench/README.md. */
  public static final ServiceSettings<BenchConfig> SETTINGS =
      ServiceSettings.of(
          "sysmonstm-bench",
          "java -jar bench/target/sysmonstm-bench.jar",
          BenchConfig::from,
          HOSTS,
          SERIES,
          INTERVAL,
          DURATION,
          WARMUP_DRAIN,
          MODE,
          ALERTS,
          PARALLELISM,
          CHECKPOINT_INTERVAL,
          STATE_BACKEND,
          PARTITIONS,
          KAFKA_BOOTSTRAP,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          REDIS_URL,
          SEED,
          START,
          TAG,
          TIMEOUT,
          REPORT,
          UI_PORT,
          BREACH_EVERY,
          BREACH_DURATION,
          BREACH_PAUSE,
          WARMUP,
          SUSTAINED_FOR,
          DISCARD,
          JDBC_PARAMS,
          UNALIGNED_CHECKPOINTS);

  public BenchConfig {
    HOSTS.check(hosts);
    SERIES.check(series);
    INTERVAL.check(interval);
    DURATION.check(duration);
    Objects.requireNonNull(mode, "mode");
    WARMUP_DRAIN.check(warmupDrain);
    PARALLELISM.check(parallelism);
    CHECKPOINT_INTERVAL.check(checkpointInterval);
    STATE_BACKEND.check(stateBackend);
    PARTITIONS.check(partitions);
    TIMEOUT.check(timeout);
    Objects.requireNonNull(breaches, "breaches");
    discard = Set.copyOf(DISCARD.check(discard));
    tag.ifPresent(TAG::check);
    if (mode == Mode.ALERT_LATENCY) {
      checkAlertLatency(interval, duration, alerts, breaches, start);
    } else if (duration.isZero() || duration.toMillis() % 60_000 != 0) {
      throw DURATION.invalid(
          "must be a whole number of minutes (1m, 2m, …), got " + Durations.format(duration));
    }
  }

  /** Reads every flag of the benchmark from {@code s}; calls nothing else. */
  public static BenchConfig from(Settings s) {
    return new BenchConfig(
        HOSTS.get(s),
        SERIES.get(s),
        INTERVAL.get(s),
        DURATION.get(s),
        WARMUP_DRAIN.get(s),
        MODE.get(s),
        ALERTS.get(s),
        new Breaches(
            BREACH_EVERY.get(s),
            BREACH_DURATION.get(s),
            BREACH_PAUSE.get(s),
            WARMUP.get(s),
            SUSTAINED_FOR.get(s)),
        PARALLELISM.get(s),
        CHECKPOINT_INTERVAL.get(s),
        STATE_BACKEND.get(s),
        UNALIGNED_CHECKPOINTS.get(s),
        PARTITIONS.get(s),
        KAFKA_BOOTSTRAP.optional(s),
        JDBC_URL.optional(s),
        JDBC_USER.get(s),
        JDBC_PASSWORD.get(s),
        JDBC_PARAMS.optional(s),
        REDIS_URL.optional(s).map(URI::toString),
        SEED.get(s),
        START.optional(s),
        TAG.optional(s),
        DISCARD.get(s),
        UI_PORT.get(s),
        TIMEOUT.get(s),
        REPORT.optional(s));
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
      throw ALERTS.invalid("alert-latency mode needs the alert rules on");
    }
    if (start.isPresent()) {
      throw START.invalid("in alert-latency mode event time is the wall clock");
    }
    if (b.duration().compareTo(b.sustainedFor().plus(interval.multipliedBy(2))) < 0) {
      throw BREACH_DURATION.invalid(
          Durations.format(b.duration())
              + " must last at least --sustained-for "
              + Durations.format(b.sustainedFor())
              + " plus two intervals, or the sustained rule never fires");
    }
    if (b.warmup().plus(b.duration()).plus(interval).compareTo(duration) >= 0) {
      throw DURATION.invalid(
          Durations.format(duration)
              + " leaves no room for one breach after --warmup "
              + Durations.format(b.warmup())
              + " (a breach lasts --breach-duration "
              + Durations.format(b.duration())
              + ")");
    }
  }

  private static Instant instant(String v) {
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + v + "' is not an instant like 2025-11-23T08:00:00Z");
    }
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
        throw new IllegalArgumentException(
            "'" + p + "' is not one of samples, live, rollup-1h, hosts");
      }
      out.add(match);
    }
    return out;
  }

  private static String sinkList(Set<Sink> sinks) {
    return sinks.stream().map(Sink::flag).sorted().collect(Collectors.joining(","));
  }
}
