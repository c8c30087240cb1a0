package io.sysmonstm.rules;

import static io.sysmonstm.rules.RuleValidationTest.j;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleCodecTest {
  @Test
  void toJsonWritesEveryFieldWithDefaultsInAFixedOrder() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'threshold':0.9,'op':'>','metric':'system.cpu.utilization','id':'cpu',"
                    + "'labels':{'z':'1','a':'2'},'match':{'state':'user','cpu':''}}"));

    assertThat(RuleCodec.toJson(r))
        .isEqualTo(
            j(
                "{'id':'cpu','kind':'threshold','metric':'system.cpu.utilization',"
                    + "'match':{'cpu':'','state':'user'},'hosts':'*','op':'>','threshold':0.9,"
                    + "'for':'0s','resolve':0.9,'max_gap':'1m','severity':'warning',"
                    + "'summary':'{{rule}} on {{host}}: {{series}} = {{value}} (threshold {{threshold}})',"
                    + "'labels':{'a':'2','z':'1'}}"));
  }

  @Test
  void toJsonOfHostDownHasOnlyItsKeys() {
    Rule r =
        RuleCodec.parse(j("{'id':'down','kind':'host_down','hosts':'db-?','absent_for':'90s'}"));

    assertThat(RuleCodec.toJson(r))
        .isEqualTo(
            j(
                "{'id':'down','kind':'host_down','hosts':'db-?','absent_for':'1m30s',"
                    + "'severity':'warning','summary':'{{rule}}: no samples from {{host}}','labels':{}}"));
  }

  @Test
  void toJsonOfSequenceWritesThenAndWithin() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'mem-then-swap','kind':'sequence','metric':'system.memory.utilization',"
                    + "'op':'>','threshold':0.9,'then':{'metric':'system.paging.utilization',"
                    + "'op':'rising'},'within':'2m','severity':'warning'}"));

    assertThat(RuleCodec.toJson(r))
        .isEqualTo(
            j(
                "{'id':'mem-then-swap','kind':'sequence','metric':'system.memory.utilization',"
                    + "'match':{},'hosts':'*','op':'>','threshold':0.9,'for':'0s','resolve':0.9,"
                    + "'max_gap':'1m','then':{'metric':'system.paging.utilization','match':{},"
                    + "'op':'rising'},'within':'2m','severity':'warning',"
                    + "'summary':'{{rule}} on {{host}}: {{series}} = {{value}} (threshold {{threshold}})',"
                    + "'labels':{}}"));
  }

  @Test
  void canonicalJsonParsesBackToTheSameRule() {
    Rule r =
        RuleCodec.parse(
            j(
                "{'id':'s','kind':'sequence','metric':'m.a','match':{'x':'1'},'hosts':'h?-*',"
                    + "'op':'<=','threshold':-3,'for':'1h30m','resolve':2.5,'max_gap':'90s',"
                    + "'then':{'metric':'m.b','match':{'y':''},'op':'>=','threshold':1e-9},"
                    + "'within':'59m59s999ms','severity':'info','summary':'{{metric}} \\u00e9\\n\\\"',"
                    + "'labels':{'team':'\\u2603'}}"));

    String json = RuleCodec.toJson(r);

    assertThat(RuleCodec.parse(json)).isEqualTo(r);
    assertThat(RuleCodec.toJson(RuleCodec.parse(json))).isEqualTo(json);
    assertThat(r.threshold()).isEqualTo(-3.0);
    assertThat(r.within()).isEqualTo(Duration.ofHours(1).minusMillis(1));
    assertThat(r.summary()).isEqualTo("{{metric}} é\n\"");
  }

  @Test
  void integerThresholdsAndWhitespaceAreAccepted() {
    Rule r =
        RuleCodec.parse(
            "\n{ \"id\" : \"load\",\n  \"metric\": \"system.cpu.load_average.1m\", \"op\": \">\","
                + " \"threshold\": 8 }\n");

    assertThat(r.threshold()).isEqualTo(8.0);
  }

  @Test
  void defaultsHoldTheFiveShippedRules() {
    List<Rule> rules = RuleCodec.defaults();

    assertThat(rules)
        .extracting(Rule::id)
        .containsExactly("cpu-high", "memory-high", "disk-full", "host-down", "memory-then-swap");
    Rule cpu = rules.get(0);
    assertThat(cpu.metric()).isEqualTo("system.cpu.utilization");
    assertThat(cpu.match()).isEqualTo(Map.of("cpu", ""));
    assertThat(cpu.op()).isEqualTo(Op.GT);
    assertThat(cpu.threshold()).isEqualTo(0.9);
    assertThat(cpu.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cpu.resolve()).isEqualTo(0.8);
    assertThat(cpu.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(cpu.matches("system.cpu.utilization", Map.of())).isTrue();
    assertThat(cpu.matches("system.cpu.utilization", Map.of("cpu", "0"))).isFalse();

    Rule mem = rules.get(1);
    assertThat(mem.metric()).isEqualTo("system.memory.utilization");
    assertThat(List.of(mem.threshold(), mem.resolve())).containsExactly(0.9, 0.85);
    assertThat(mem.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(mem.severity()).isEqualTo(Severity.WARNING);

    Rule disk = rules.get(2);
    assertThat(disk.metric()).isEqualTo("system.filesystem.utilization");
    assertThat(disk.match()).isEmpty();
    assertThat(List.of(disk.threshold(), disk.resolve())).containsExactly(0.9, 0.85);
    assertThat(disk.forDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(disk.severity()).isEqualTo(Severity.CRITICAL);

    Rule down = rules.get(3);
    assertThat(down.kind()).isEqualTo(RuleKind.HOST_DOWN);
    assertThat(down.absentFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(down.severity()).isEqualTo(Severity.CRITICAL);

    Rule seq = rules.get(4);
    assertThat(seq.kind()).isEqualTo(RuleKind.SEQUENCE);
    assertThat(seq.metric()).isEqualTo("system.memory.utilization");
    assertThat(seq.then())
        .isEqualTo(new Step("system.paging.utilization", Map.of(), Op.RISING, Double.NaN));
    assertThat(seq.within()).isEqualTo(Duration.ofMinutes(2));
    assertThat(seq.severity()).isEqualTo(Severity.WARNING);

    for (Rule r : rules) {
      assertThat(RuleCodec.parse(RuleCodec.toJson(r))).isEqualTo(r);
      assertThat(r.appliesTo("any-host")).isTrue();
    }
  }

  @Test
  void parseAllKeepsTheOrderOfTheFile() {
    List<Rule> rules =
        RuleCodec.parseAll(j("[{'id':'b','kind':'host_down'},{'id':'a','kind':'host_down'}]"));

    assertThat(rules).extracting(Rule::id).containsExactly("b", "a");
    assertThat(RuleCodec.parseAll("[]")).isEmpty();
  }
}
