package io.sysmonstm.rules;

import static io.sysmonstm.rules.RuleValidationTest.j;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleTest {
  private static Rule threshold(String op, double threshold, double resolve) {
    return RuleCodec.parse(
        j(
            "{'id':'r','metric':'m.x','op':'"
                + op
                + "','threshold':"
                + threshold
                + ",'resolve':"
                + resolve
                + "}"));
  }

  @Test
  void absentFieldsTakeTheirDefaults() {
    Rule r =
        RuleCodec.parse(
            j("{'id':'cpu','metric':'system.cpu.utilization','op':'>','threshold':0.9}"));

    assertThat(r.kind()).isEqualTo(RuleKind.THRESHOLD);
    assertThat(r.match()).isEmpty();
    assertThat(r.hosts()).isEqualTo("*");
    assertThat(r.forDuration()).isEqualTo(Duration.ZERO);
    assertThat(r.resolve()).isEqualTo(0.9);
    assertThat(r.maxGap()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.absentFor()).isEqualTo(Duration.ZERO);
    assertThat(r.severity()).isEqualTo(Severity.WARNING);
    assertThat(r.summary())
        .isEqualTo("{{rule}} on {{host}}: {{series}} = {{value}} (threshold {{threshold}})");
    assertThat(r.labels()).isEmpty();
    assertThat(r.then()).isNull();
    assertThat(r.within()).isEqualTo(Duration.ZERO);
  }

  @Test
  void hostDownDefaultsAndItsNoneValues() {
    Rule r = RuleCodec.parse(j("{'id':'down','kind':'host_down'}"));

    assertThat(r.absentFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.metric()).isEmpty();
    assertThat(r.match()).isEmpty();
    assertThat(r.op()).isNull();
    assertThat(r.threshold()).isNaN();
    assertThat(r.resolve()).isNaN();
    assertThat(r.forDuration()).isZero();
    assertThat(r.maxGap()).isZero();
    assertThat(r.first()).isNull();
    assertThat(r.summary()).isEqualTo("{{rule}}: no samples from {{host}}");
    assertThat(r.render("web-1", "", Double.NaN)).isEqualTo("down: no samples from web-1");
    assertThat(r.matches("system.cpu.utilization", Map.of())).isFalse();
    assertThat(r.breaching(1)).isFalse();
    assertThat(r.cleared(1)).isTrue();
  }

  @Test
  void aFullRuleKeepsEveryField() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'cpu-high','kind':'threshold','metric':'system.cpu.utilization',"
                    + "'match':{'cpu':''},'hosts':'web-*','op':'>','threshold':0.9,'for':'5m',"
                    + "'resolve':0.8,'max_gap':'2m','severity':'critical',"
                    + "'summary':'CPU on {{host}} at {{value}}','labels':{'team':'ops'}}"));

    assertThat(r)
        .isEqualTo(
            new Rule(
                "cpu-high",
                RuleKind.THRESHOLD,
                "system.cpu.utilization",
                Map.of("cpu", ""),
                "web-*",
                Op.GT,
                0.9,
                Duration.ofMinutes(5),
                0.8,
                Duration.ofMinutes(2),
                Duration.ZERO,
                Severity.CRITICAL,
                "CPU on {{host}} at {{value}}",
                Map.of("team", "ops"),
                null,
                Duration.ZERO));
  }

  @Test
  void emptyMatchValueMeansTheAttributeIsAbsent() {
    Rule total =
        RuleCodec.parse(
            j(
                "{'id':'r','metric':'system.cpu.utilization','match':{'cpu':''},'op':'>','threshold':0.9}"));

    assertThat(total.matches("system.cpu.utilization", Map.of())).isTrue();
    assertThat(total.matches("system.cpu.utilization", Map.of("cpu", ""))).isTrue();
    assertThat(total.matches("system.cpu.utilization", Map.of("cpu", "3"))).isFalse();
    assertThat(total.matches("system.cpu.utilization", Map.of("state", "idle"))).isTrue();
    assertThat(total.matches("system.memory.utilization", Map.of())).isFalse();
  }

  @Test
  void matchIsExactEqualityOnEveryListedAttribute() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'r','metric':'system.network.io.rate','match':{'device':'eth0',"
                    + "'direction':'receive'},'op':'>','threshold':1e6}"));

    assertThat(
            r.matches("system.network.io.rate", Map.of("device", "eth0", "direction", "receive")))
        .isTrue();
    assertThat(
            r.matches(
                "system.network.io.rate",
                Map.of("device", "eth0", "direction", "receive", "extra", "x")))
        .isTrue();
    assertThat(
            r.matches("system.network.io.rate", Map.of("device", "eth0", "direction", "transmit")))
        .isFalse();
    assertThat(r.matches("system.network.io.rate", Map.of("device", "eth0"))).isFalse();
    assertThat(
            r.matches("system.network.io.rate", Map.of("device", "ETH0", "direction", "receive")))
        .isFalse();
  }

  @Test
  void noMatchSelectsEverySeriesOfTheMetric() {
    Rule r =
        RuleCodec.parse(
            j("{'id':'r','metric':'system.filesystem.utilization','op':'>','threshold':0.9}"));

    assertThat(r.matches("system.filesystem.utilization", Map.of("mountpoint", "/"))).isTrue();
    assertThat(r.matches("system.filesystem.utilization", Map.of())).isTrue();
    assertThat(r.matches("system.filesystem.utilization.x", Map.of())).isFalse();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "*, web-1, true",
    "*, '', true",
    "web-*, web-1, true",
    "web-*, web-, true",
    "web-*, db-1, false",
    "web-*, aweb-1, false",
    "web-?, web-1, true",
    "web-?, web-12, false",
    "web-?, web-, false",
    "*-1, web-1, true",
    "*-1, web-12, false",
    "w*b*-?, web-b-9, true",
    "w*b*-?, wx-1, false",
    "db-1, db-1, true",
    "db-1, db-10, false",
    "db.1, db-1, false",
    "Web-*, web-1, false",
    "**, abc, true",
    "a*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
  })
  void hostsGlobMatchesTheWholeHostId(String glob, String host, boolean expected) {
    Rule r = RuleCodec.parse(j("{'id':'r','kind':'host_down','hosts':'" + glob + "'}"));

    assertThat(r.appliesTo(host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} resolve {2}: value {3} breaching={4} cleared={5}")
  @CsvSource({
    // op, threshold, resolve, value, breaching, cleared
    ">, 0.9, 0.8, 0.95, true, false",
    ">, 0.9, 0.8, 0.9, false, false",
    ">, 0.9, 0.8, 0.85, false, false",
    ">, 0.9, 0.8, 0.8, false, true",
    ">, 0.9, 0.8, 0.5, false, true",
    ">, 0.9, 0.9, 0.9, false, true",
    ">=, 0.9, 0.8, 0.9, true, false",
    ">=, 0.9, 0.8, 0.8, false, false",
    ">=, 0.9, 0.8, 0.79, false, true",
    ">=, 0.9, 0.9, 0.9, true, false",
    ">=, 0.9, 0.9, 0.89, false, true",
    "<, 0.1, 0.2, 0.05, true, false",
    "<, 0.1, 0.2, 0.1, false, false",
    "<, 0.1, 0.2, 0.2, false, true",
    "<, 0.1, 0.2, 0.3, false, true",
    "<=, 0.1, 0.2, 0.1, true, false",
    "<=, 0.1, 0.2, 0.2, false, false",
    "<=, 0.1, 0.2, 0.21, false, true",
  })
  void breachingAndClearedWithHysteresis(
      String op,
      double threshold,
      double resolve,
      double value,
      boolean breaching,
      boolean cleared) {
    Rule r = threshold(op, threshold, resolve);

    assertThat(r.breaching(value)).as("breaching").isEqualTo(breaching);
    assertThat(r.cleared(value)).as("cleared").isEqualTo(cleared);
  }

  @Test
  void risingComparesWithThePreviousSample() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'s','kind':'sequence','metric':'system.memory.utilization','op':'>',"
                    + "'threshold':0.9,'then':{'metric':'system.paging.utilization','op':'rising'},"
                    + "'within':'2m'}"));
    Step then = r.then();

    assertThat(then.op()).isEqualTo(Op.RISING);
    assertThat(then.threshold()).isNaN();
    assertThat(then.test(0.31, 0.30)).isTrue();
    assertThat(then.test(0.30, 0.30)).isFalse();
    assertThat(then.test(0.29, 0.30)).isFalse();
    assertThat(then.test(0.5, Double.NaN)).as("no previous sample").isFalse();
    assertThat(Op.RISING.test(2, 1)).isTrue();
    assertThat(then.matches("system.paging.utilization", Map.of())).isTrue();
    assertThat(r.matches("system.memory.utilization", Map.of())).as("step 1").isTrue();
    assertThat(r.matches("system.paging.utilization", Map.of())).isFalse();
    assertThat(r.first()).isEqualTo(new Step("system.memory.utilization", Map.of(), Op.GT, 0.9));
    assertThat(r.within()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aThresholdStepTestsAgainstItsThreshold() {
    Step s = new Step("system.paging.utilization", Map.of(), Op.GE, 0.5);

    assertThat(s.test(0.5, 99)).isTrue();
    assertThat(s.test(0.49, 0)).isFalse();
  }

  @Test
  void renderFillsEveryVariable() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'cpu-high','metric':'system.cpu.utilization','op':'>','threshold':0.9,"
                    + "'severity':'critical','summary':'[{{severity}}] {{rule}}: {{metric}} on "
                    + "{{host}} {{series}} = {{value}} > {{threshold}} }} {{rule}}'}"));

    assertThat(r.render("web-1", "system.cpu.utilization{\"cpu\":\"3\"}", 0.9500000001))
        .isEqualTo(
            "[critical] cpu-high: system.cpu.utilization on web-1 "
                + "system.cpu.utilization{\"cpu\":\"3\"} = 0.95 > 0.9 }} cpu-high");
  }

  @Test
  void defaultSummaryRendersCompactNumbers() {
    Rule r =
        RuleCodec.parse(
            j("{'id':'disk','metric':'system.filesystem.utilization','op':'>=','threshold':0.9}"));

    assertThat(r.render("db-1", "system.filesystem.utilization{\"mountpoint\":\"/\"}", 0.912345))
        .isEqualTo(
            "disk on db-1: system.filesystem.utilization{\"mountpoint\":\"/\"} = 0.9123 (threshold 0.9)");
  }

  @Test
  void mapsAreSortedUnmodifiableCopies() {
    java.util.HashMap<String, String> match = new java.util.HashMap<>(Map.of("b", "2", "a", "1"));
    Rule r =
        new Rule(
            "r",
            RuleKind.THRESHOLD,
            "m.x",
            match,
            null,
            Op.GT,
            1,
            null,
            Double.NaN,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    match.put("c", "3");

    assertThat(r.match()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.match().put("d", "4"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void negativeZeroThresholdEqualsZero() {
    assertThat(threshold(">", -0.0, -0.0)).isEqualTo(threshold(">", 0.0, 0.0));
  }

  @Test
  void rulesSurviveJavaSerialization() throws Exception {
    for (Rule r : RuleCodec.defaults()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(r);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        assertThat(in.readObject()).isEqualTo(r);
      }
    }
  }
}
