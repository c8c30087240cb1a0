package io.sysmonstm.bench.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Matches the alert events received on Redis to the breaches the fleet produced, and measures the
 * latency of each: receive wall time minus the timestamp of the breach's first breaching sample.
 *
 * <p>An event of a timed rule belongs to the breach of its host whose span holds the event's {@code
 * starts_at} (first breaching sample ≤ starts_at < first calm sample): a firing and a resolved
 * event of one alert carry the same {@code starts_at}. Each breach must produce, per timed rule,
 * exactly one firing and one resolved event; the book counts what is missing, duplicated, or
 * matches no breach. Events of other rules are counted by rule and state.
 */
public final class AlertLatencyBook {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The goal: an alert at most this long after the rule's condition holds. */
  public static final long GOAL_MS = 1_000;

  /**
   * One breach as the job sees it.
   *
   * @param hostId the host
   * @param firstMs timestamp of its first breaching sample
   * @param recoverMs timestamp of the first calm sample after it
   */
  public record Breach(String hostId, long firstMs, long recoverMs) {
    public Breach {
      Objects.requireNonNull(hostId, "hostId");
      if (recoverMs <= firstMs) {
        throw new IllegalArgumentException("a breach recovers after it begins");
      }
    }
  }

  /** A timed rule: its id and its {@code for} in ms (0 for an instant rule). */
  public record TimedRule(String id, long forMs) {
    public TimedRule {
      Objects.requireNonNull(id, "id");
      if (forMs < 0) {
        throw new IllegalArgumentException("for must not be negative");
      }
    }
  }

  /** A message received on the alerts channel, stamped with the wall clock when it arrived. */
  public record Received(long receivedMs, String json) {}

  /**
   * What one timed rule did over the run.
   *
   * @param rule the rule
   * @param forMs its {@code for}
   * @param goalMs the goal for its p99 latency: {@code for} + 1 s
   * @param breaches breaches it had to alert on
   * @param fired breaches with at least one firing event
   * @param missingFirings breaches without a firing event
   * @param duplicateFirings firing events beyond the first of a breach
   * @param resolved breaches with at least one resolved event
   * @param missingResolves breaches without a resolved event
   * @param duplicateResolves resolved events beyond the first of a breach
   * @param latency first breaching sample to the (first) firing event received
   * @param overFor {@code latency} minus {@code for}: the pipeline's share
   * @param resolveLatency first calm sample to the resolved event received
   * @param pass every breach fired, and the p99 latency is within the goal
   */
  public record RuleResult(
      String rule,
      long forMs,
      long goalMs,
      int breaches,
      int fired,
      int missingFirings,
      int duplicateFirings,
      int resolved,
      int missingResolves,
      int duplicateResolves,
      LatencyStats latency,
      LatencyStats overFor,
      LatencyStats resolveLatency,
      boolean pass) {

    /** Exactly one firing and one resolved event per breach. */
    public boolean exact() {
      return missingFirings == 0
          && duplicateFirings == 0
          && missingResolves == 0
          && duplicateResolves == 0;
    }
  }

  /**
   * One of the slowest alerts.
   *
   * @param rule the rule
   * @param hostId the host
   * @param atSeconds its first breaching sample, in seconds after the fleet began producing
   * @param latencyMs its latency
   * @param overForMs its latency minus the rule's {@code for}
   */
  public record Slow(
      String rule, String hostId, double atSeconds, long latencyMs, long overForMs) {}

  /**
   * The pipeline's share of the latency ({@code latency − for}) of the firings whose condition
   * began to hold (first breaching sample + {@code for}) in one stretch of the run, every timed
   * rule together: shows whether slow alerts cluster (start-up, a backlog) or spread.
   *
   * @param fromSeconds start of the stretch, seconds after the fleet began producing
   * @param toSeconds its end (exclusive)
   * @param overFor latency minus {@code for} of those firings
   */
  public record Period(double fromSeconds, double toSeconds, LatencyStats overFor) {}

  /**
   * Everything the book saw.
   *
   * @param rules per timed rule, in the order given
   * @param breaches breaches of the run
   * @param unmatched events of timed rules that belong to no breach (false alerts)
   * @param retro events of timed rules marked retro (none expected: event time is the wall clock)
   * @param unreadable messages that were not alert events
   * @param others events of other rules, by "rule state"
   * @param slowest the slowest firings, by latency over {@code for}
   * @param periods the latencies over {@code for} by when the condition began to hold
   */
  public record Result(
      List<RuleResult> rules,
      int breaches,
      long unmatched,
      long retro,
      long unreadable,
      Map<String, Long> others,
      List<Slow> slowest,
      List<Period> periods) {

    /** Every breach produced exactly one firing and one resolved event per rule, nothing else. */
    public boolean exact() {
      return unmatched == 0 && retro == 0 && rules.stream().allMatch(RuleResult::exact);
    }

    /** Every rule met its goal. */
    public boolean pass() {
      return rules.stream().allMatch(RuleResult::pass);
    }
  }

  /** Transitions of one breach under one rule. */
  private static final class Seen {
    int firings;
    long firstFiringMs;
    int resolves;
    long firstResolveMs;
  }

  private final List<TimedRule> rules;
  private final Map<String, Integer> ruleIndex = new HashMap<>();
  private final List<Breach> breaches;
  private final Map<String, List<Integer>> byHost = new HashMap<>();
  private final Seen[][] seen;
  private final long productionStartMs;
  private final Map<String, Long> others = new TreeMap<>();
  private long unmatched;
  private long retro;
  private long unreadable;

  /**
   * @param breaches every breach of the run
   * @param rules the rules whose alerts are timed
   * @param productionStartMs when the fleet began producing (for the times of the slowest alerts)
   */
  public AlertLatencyBook(List<Breach> breaches, List<TimedRule> rules, long productionStartMs) {
    this.breaches = List.copyOf(breaches);
    this.rules = List.copyOf(rules);
    this.productionStartMs = productionStartMs;
    for (int r = 0; r < this.rules.size(); r++) {
      ruleIndex.put(this.rules.get(r).id(), r);
    }
    for (int i = 0; i < this.breaches.size(); i++) {
      byHost.computeIfAbsent(this.breaches.get(i).hostId(), h -> new ArrayList<>()).add(i);
    }
    this.seen = new Seen[this.breaches.size()][this.rules.size()];
    for (Seen[] row : seen) {
      for (int r = 0; r < row.length; r++) {
        row[r] = new Seen();
      }
    }
  }

  /** Books one message of the alerts channel. */
  public void add(Received message) {
    JsonNode e;
    try {
      e = JSON.readTree(message.json());
    } catch (IOException ex) {
      unreadable++;
      return;
    }
    String rule = e.path("rule_id").asText(null);
    String state = e.path("state").asText("");
    if (rule == null || !e.path("starts_at").canConvertToLong()) {
      unreadable++;
      return;
    }
    Integer r = ruleIndex.get(rule);
    if (r == null) {
      others.merge(rule + " " + state, 1L, Long::sum);
      return;
    }
    if (e.path("retro").asBoolean(false)) {
      retro++;
    }
    long startsAt = e.path("starts_at").asLong();
    int b = breachOf(e.path("host_id").asText(""), startsAt);
    if (b < 0) {
      unmatched++;
      return;
    }
    Seen s = seen[b][r];
    if ("firing".equals(state)) {
      if (s.firings++ == 0) {
        s.firstFiringMs = message.receivedMs();
      }
    } else if ("resolved".equals(state)) {
      if (s.resolves++ == 0) {
        s.firstResolveMs = message.receivedMs();
      }
    } else {
      unreadable++;
    }
  }

  /** Books every message of {@code messages}. */
  public void addAll(List<Received> messages) {
    messages.forEach(this::add);
  }

  /** Transitions (firing and resolved, per breach and rule) not received yet. */
  public long outstanding() {
    long n = 0;
    for (Seen[] row : seen) {
      for (Seen s : row) {
        n += (s.firings == 0 ? 1 : 0) + (s.resolves == 0 ? 1 : 0);
      }
    }
    return n;
  }

  /** Transitions the run must produce: a firing and a resolved one per breach and rule. */
  public long expectedTransitions() {
    return 2L * breaches.size() * rules.size();
  }

  /** The breaches. */
  public List<Breach> breaches() {
    return breaches;
  }

  /** What the book saw, with {@code slowest} of the slowest firings and periods of 30 s. */
  public Result result(int slowest) {
    return result(slowest, 30);
  }

  /** What the book saw, with {@code slowest} of the slowest firings, periods of {@code periodS}. */
  public Result result(int slowest, int periodS) {
    List<RuleResult> out = new ArrayList<>();
    List<Slow> slow = new ArrayList<>();
    Map<Long, List<Long>> byPeriod = new TreeMap<>();
    for (int r = 0; r < rules.size(); r++) {
      TimedRule rule = rules.get(r);
      long[] latencies = new long[breaches.size()];
      long[] resolves = new long[breaches.size()];
      int fired = 0;
      int resolved = 0;
      int dupFirings = 0;
      int dupResolves = 0;
      for (int b = 0; b < breaches.size(); b++) {
        Seen s = seen[b][r];
        Breach br = breaches.get(b);
        if (s.firings > 0) {
          long latency = s.firstFiringMs - br.firstMs();
          latencies[fired++] = latency;
          slow.add(
              new Slow(
                  rule.id(),
                  br.hostId(),
                  (br.firstMs() - productionStartMs) / 1000.0,
                  latency,
                  latency - rule.forMs()));
          dupFirings += s.firings - 1;
          long holdsMs = br.firstMs() + rule.forMs() - productionStartMs;
          byPeriod
              .computeIfAbsent(Math.floorDiv(holdsMs, periodS * 1000L), k -> new ArrayList<>())
              .add(latency - rule.forMs());
        }
        if (s.resolves > 0) {
          resolves[resolved++] = s.firstResolveMs - br.recoverMs();
          dupResolves += s.resolves - 1;
        }
      }
      LatencyStats latency = LatencyStats.of(Arrays.copyOf(latencies, fired));
      long goal = rule.forMs() + GOAL_MS;
      int missing = breaches.size() - fired;
      out.add(
          new RuleResult(
              rule.id(),
              rule.forMs(),
              goal,
              breaches.size(),
              fired,
              missing,
              dupFirings,
              resolved,
              breaches.size() - resolved,
              dupResolves,
              latency,
              latency.minus(rule.forMs()),
              LatencyStats.of(Arrays.copyOf(resolves, resolved)),
              !breaches.isEmpty() && missing == 0 && latency.p99() <= goal));
    }
    slow.sort(Comparator.comparingLong(Slow::overForMs).reversed());
    List<Period> periods = new ArrayList<>();
    byPeriod.forEach(
        (k, v) ->
            periods.add(
                new Period(
                    k * periodS,
                    (k + 1) * periodS,
                    LatencyStats.of(v.stream().mapToLong(Long::longValue).toArray()))));
    return new Result(
        out,
        breaches.size(),
        unmatched,
        retro,
        unreadable,
        new LinkedHashMap<>(others),
        List.copyOf(slow.subList(0, Math.min(slowest, slow.size()))),
        List.copyOf(periods));
  }

  private int breachOf(String hostId, long startsAt) {
    List<Integer> candidates = byHost.get(hostId);
    if (candidates == null) {
      return -1;
    }
    for (int i : candidates) {
      Breach b = breaches.get(i);
      if (b.firstMs() <= startsAt && startsAt < b.recoverMs()) {
        return i;
      }
    }
    return -1;
  }
}
