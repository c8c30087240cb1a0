package io.sysmonstm.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any valid rule survives its canonical JSON: {@code parse(toJson(r)).equals(r)}. */
class RuleRoundTripTest {

  // one alphabet per string: several char ranges make jqwik generate char by char, slowly
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String DIGITS = "0123456789";
  private static final String TEXT =
      text(' ', '~') + text('\u00a0', '\u024f') + "\n\t\u0000\u2603\u20ac";

  private static String text(char from, char to) {
    StringBuilder b = new StringBuilder();
    for (char c = from; c <= to; c++) {
      b.append(c);
    }
    return b.toString();
  }

  @Property(tries = 1000)
  void canonicalJsonRoundTrips(@ForAll("rules") Rule r) {
    String json = RuleCodec.toJson(r);

    Rule back = RuleCodec.parse(json);

    assertThat(back).isEqualTo(r);
    assertThat(RuleCodec.toJson(back)).isEqualTo(json);
    assertThat(RuleCodec.parse(json, r.id())).isEqualTo(r);
  }

  @Provide
  Arbitrary<Rule> rules() {
    return Arbitraries.oneOf(thresholdRules(), hostDownRules(), sequenceRules());
  }

  private Arbitrary<Rule> thresholdRules() {
    return Combinators.combine(
            common(), firstStep(), resolveDelta(), durationUpTo(Rule.MAX_DURATION), gap())
        .as(
            (c, s, delta, forDuration, maxGap) ->
                new Rule(
                    c.id,
                    RuleKind.THRESHOLD,
                    s.metric(),
                    s.match(),
                    c.hosts,
                    s.op(),
                    s.threshold(),
                    forDuration,
                    resolve(s, delta),
                    maxGap,
                    null,
                    c.severity,
                    c.summary,
                    c.labels,
                    null,
                    null));
  }

  private Arbitrary<Rule> sequenceRules() {
    Arbitrary<Duration> within =
        Arbitraries.longs().between(1, Rule.MAX_WITHIN.toMillis()).map(Duration::ofMillis);
    return Combinators.combine(
            common(),
            firstStep(),
            resolveDelta(),
            durationUpTo(Rule.MAX_DURATION),
            gap(),
            secondStep(),
            within)
        .as(
            (c, s, delta, forDuration, maxGap, then, w) ->
                new Rule(
                    c.id,
                    RuleKind.SEQUENCE,
                    s.metric(),
                    s.match(),
                    c.hosts,
                    s.op(),
                    s.threshold(),
                    forDuration,
                    resolve(s, delta),
                    maxGap,
                    null,
                    c.severity,
                    c.summary,
                    c.labels,
                    then,
                    w));
  }

  private Arbitrary<Rule> hostDownRules() {
    return Combinators.combine(common(), gap())
        .as(
            (c, absentFor) ->
                new Rule(
                    c.id,
                    RuleKind.HOST_DOWN,
                    null,
                    null,
                    c.hosts,
                    null,
                    Double.NaN,
                    null,
                    Double.NaN,
                    null,
                    absentFor,
                    c.severity,
                    c.summary,
                    c.labels,
                    null,
                    null));
  }

  /** NaN (= default) or a resolve on the non-breaching side of the threshold. */
  private static double resolve(Step s, double delta) {
    if (Double.isNaN(delta)) {
      return Double.NaN;
    }
    double r = s.op() == Op.GT || s.op() == Op.GE ? s.threshold() - delta : s.threshold() + delta;
    return Double.isFinite(r) ? r : s.threshold();
  }

  private Arbitrary<Double> resolveDelta() {
    return Arbitraries.oneOf(
        Arbitraries.just(Double.NaN),
        Arbitraries.just(0.0),
        Arbitraries.integers().between(0, 1_000_000).map(Integer::doubleValue),
        Arbitraries.doubles().between(0, 1));
  }

  private record Common(
      String id, String hosts, Severity severity, String summary, Map<String, String> labels) {}

  private Arbitrary<Common> common() {
    Arbitrary<String> id =
        Arbitraries.strings()
            .withChars(LOWER + LOWER.toUpperCase(Locale.ROOT) + DIGITS + "._-")
            .ofMinLength(1)
            .ofMaxLength(128);
    Arbitrary<String> hosts =
        Arbitraries.strings()
            .withChars(LOWER + DIGITS + "._-*?W")
            .ofMinLength(1)
            .ofMaxLength(40)
            .injectNull(0.2);
    Arbitrary<Severity> severity = Arbitraries.of(Severity.class).injectNull(0.2);
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(
                Arbitraries.strings().withChars(LOWER + "_Q").ofMinLength(1).ofMaxLength(8), text())
            .ofMaxSize(4)
            .injectNull(0.2);
    return Combinators.combine(id, hosts, severity, summary(), labels).as(Common::new);
  }

  private Arbitrary<String> summary() {
    Arbitrary<String> variable = Arbitraries.of(Template.VARIABLES).map(v -> "{{" + v + "}}");
    Arbitrary<String> literal = text().map(s -> s.replace("{{", "{"));
    return Arbitraries.oneOf(variable, literal)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(parts -> String.join("", parts))
        .filter(s -> !s.isBlank() && !s.contains("{{{") && Template.problem(s) == null)
        .injectNull(0.3);
  }

  /** Printable ASCII, Latin-1, some BMP symbols and controls; no lone surrogates. */
  private Arbitrary<String> text() {
    return Arbitraries.strings().withChars(TEXT).ofMaxLength(30);
  }

  private Arbitrary<String> metric() {
    return Combinators.combine(
            Arbitraries.chars().range('a', 'z'),
            Arbitraries.strings().withChars(LOWER + DIGITS + "._").ofMaxLength(40))
        .as((first, rest) -> first + rest);
  }

  private Arbitrary<Map<String, String>> match() {
    Arbitrary<String> key = text().filter(s -> !s.isEmpty());
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.just(""), text());
    return Arbitraries.maps(key, value).ofMaxSize(3).injectNull(0.2);
  }

  private Arbitrary<Double> threshold() {
    return Arbitraries.oneOf(
        // any finite bit pattern, subnormals included (cheaper than doubles() over the full range)
        Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
        Arbitraries.doubles().between(0, 1).ofScale(3),
        Arbitraries.integers().between(-1000, 1000).map(Integer::doubleValue),
        Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE));
  }

  private Arbitrary<Step> firstStep() {
    return Combinators.combine(
            metric(), match(), Arbitraries.of(Op.GT, Op.GE, Op.LT, Op.LE), threshold())
        .as(Step::new);
  }

  private Arbitrary<Step> secondStep() {
    return Combinators.combine(metric(), match(), Arbitraries.of(Op.values()), threshold())
        .as((m, a, op, t) -> new Step(m, a, op, op == Op.RISING ? Double.NaN : t));
  }

  private Arbitrary<Duration> durationUpTo(Duration max) {
    return Arbitraries.oneOf(
            Arbitraries.longs().between(0, max.toMillis()).map(Duration::ofMillis),
            Arbitraries.of(List.of(Duration.ZERO, Duration.ofMinutes(5), max)))
        .injectNull(0.2);
  }

  private Arbitrary<Duration> gap() {
    return Arbitraries.longs()
        .between(Rule.MIN_GAP.toMillis(), Rule.MAX_DURATION.toMillis())
        .map(Duration::ofMillis)
        .injectNull(0.2);
  }
}
