package io.sysmonstm.bench.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.bench.FleetSimulator;
import io.sysmonstm.bench.fleet.FleetSpec;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.rules.RuleKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchRulesTest {

  @Test
  void theRulesFileHoldsTheDefaultsThenAnInstantAndASustainedRuleOnTheBreachSeries() {
    List<Rule> rules = RuleCodec.parseAll(BenchRules.file(Duration.ofSeconds(10)));

    assertThat(rules.subList(0, rules.size() - 2)).isEqualTo(RuleCodec.defaults());
    Rule instant = rules.get(rules.size() - 2);
    Rule sustained = rules.get(rules.size() - 1);
    assertThat(instant.id()).isEqualTo(BenchRules.INSTANT);
    assertThat(instant.forDuration()).isZero();
    assertThat(sustained.id()).isEqualTo(BenchRules.SUSTAINED);
    assertThat(sustained.forDuration()).isEqualTo(Duration.ofSeconds(10));
    for (Rule r : List.of(instant, sustained)) {
      assertThat(r.kind()).isEqualTo(RuleKind.THRESHOLD);
      assertThat(r.matches("bench.breach", Map.of())).isTrue();
      assertThat(r.matches("system.cpu.utilization", Map.of())).isFalse();
      assertThat(r.breaching(FleetSimulator.BREACHING)).isTrue();
      assertThat(r.breaching(FleetSimulator.CALM)).isFalse();
      assertThat(r.cleared(FleetSimulator.CALM)).isTrue();
    }
  }

  @Test
  void noDefaultRuleBreachesOnTheSimulatedValuesSoTheyOnlyAddEvaluationLoad() {
    FleetSimulator sim =
        new FleetSimulator(
            new FleetSpec(
                200, 20, Duration.ofSeconds(1), Instant.parse("2025-11-23T06:00:00Z"), 42, "t1"));
    List<Rule> defaults =
        RuleCodec.defaults().stream().filter(r -> r.kind() != RuleKind.HOST_DOWN).toList();
    assertThat(defaults).isNotEmpty();
    long matched = 0;
    for (int h = 0; h < 200; h++) {
      for (long k = 0; k < 130; k += 3) {
        for (Sample s : sim.batch(h, k).getSnapshots(0).getSamplesList()) {
          for (Rule r : defaults) {
            if (r.matches(s.getMetric(), s.getAttributesMap())) {
              matched++;
              assertThat(r.breaching(s.getValue())).as(r.id() + " on " + s).isFalse();
            }
          }
        }
      }
    }
    assertThat(matched).as("the defaults do watch simulated series").isPositive();
  }
}
