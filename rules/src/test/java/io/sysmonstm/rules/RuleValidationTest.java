package io.sysmonstm.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a rule can be wrong is refused with the JSON path of the culprit and a fix. */
class RuleValidationTest {
  /** JSON written with ' for ". */
  static String j(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static final String T = "'id':'r','metric':'m.x','op':'>','threshold':1";
  private static final String H = "'id':'h','kind':'host_down'";
  private static final String S =
      "'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,"
          + "'within':'2m','then':{'metric':'m.b','op':'rising'";

  private static Arguments threshold(String extra, String field, String message) {
    return Arguments.of(j("{" + T + (extra.isEmpty() ? "" : "," + extra) + "}"), field, message);
  }

  private static Arguments hostDown(String extra, String field, String message) {
    return Arguments.of(j("{" + H + (extra.isEmpty() ? "" : "," + extra) + "}"), field, message);
  }

  /** {@code thenExtra} goes inside "then", {@code extra} after it. */
  private static Arguments sequence(String thenExtra, String extra, String field, String message) {
    return Arguments.of(
        j("{" + S + thenExtra + "}" + (extra.isEmpty() ? "" : "," + extra) + "}"), field, message);
  }

  private static Arguments raw(String json, String field, String message) {
    return Arguments.of(j(json), field, message);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // the body
        raw("", "body", "body: empty; expected a JSON object"),
        raw("{", "body", "body: not valid JSON: "),
        raw("{'id':'a',}", "body", "body: not valid JSON: "),
        raw(
            "{}{}",
            "body",
            "body: not valid JSON: more content after the first JSON value at line 1, column 3"),
        raw("{'id':'a','id':'b'}", "body", "Duplicate field 'id'"),
        raw("[]", "body", "body: must be a JSON object, got array"),
        raw("'cpu-high'", "body", "body: must be a JSON object, got string"),
        // id
        raw("{'metric':'m.x','op':'>','threshold':1}", "id", "id: required, 1 to 128 characters"),
        threshold("'id':'a b'", "body", "Duplicate field 'id'"),
        raw(
            "{'id':'a b','metric':'m.x','op':'>','threshold':1}",
            "id",
            "id: must match ^[A-Za-z0-9._-]{1,128}$, got \"a b\""),
        raw(
            "{'id':'" + "x".repeat(129) + "','metric':'m.x','op':'>','threshold':1}",
            "id",
            "id: must match"),
        raw(
            "{'id':7,'metric':'m.x','op':'>','threshold':1}",
            "id",
            "id: must be a string, matching ^[A-Za-z0-9._-]{1,128}$, got number"),
        // kind and keys
        threshold(
            "'kind':'absence'",
            "kind",
            "kind: must be one of threshold, host_down, sequence, got \"absence\""),
        threshold(
            "'kind':null",
            "kind",
            "kind: must be a string, one of threshold, host_down," + " sequence, got null"),
        threshold(
            "'colour':'red'",
            "colour",
            "colour: unknown key; allowed for kind threshold: id, kind, metric, match, hosts, op,"
                + " threshold, for, resolve, max_gap, severity, summary, labels"),
        threshold("'max gap':'1m'", "[\"max gap\"]", "[\"max gap\"]: unknown key"),
        threshold("'then':{}", "then", "then: only allowed for kind sequence"),
        threshold("'within':'1m'", "within", "within: only allowed for kind sequence"),
        threshold("'absent_for':'1m'", "absent_for", "absent_for: only allowed for kind host_down"),
        // metric and match
        raw("{'id':'r','op':'>','threshold':1}", "metric", "metric: required for kind threshold"),
        raw(
            "{'id':'r','metric':'CPU','op':'>','threshold':1}",
            "metric",
            "metric: must match ^[a-z][a-z0-9_.]*$ (at most 255 characters), got \"CPU\""),
        raw("{'id':'r','metric':'','op':'>','threshold':1}", "metric", "metric: required"),
        raw(
            "{'id':'r','metric':['a'],'op':'>','threshold':1}",
            "metric",
            "metric: must be a string, a metric name, got array"),
        threshold(
            "'match':['cpu']",
            "match",
            "match: must be an object of name to string value, got array"),
        threshold(
            "'match':{'cpu':3}",
            "match.cpu",
            "match.cpu: must be a string (\"\" = attribute absent), got number"),
        threshold("'match':{'cpu':null}", "match.cpu", "got null"),
        threshold("'match':{'k.8s':1}", "match[\"k.8s\"]", "match[\"k.8s\"]: must be a string"),
        threshold("'match':{'':'x'}", "match", "match: names must not be empty"),
        // hosts
        threshold(
            "'hosts':'web 1'",
            "hosts",
            "hosts: must be a glob of A-Z a-z 0-9 . _ - with * (any run) and ? (one character),"
                + " got \"web 1\""),
        threshold("'hosts':'web-[12]'", "hosts", "hosts: must be a glob"),
        threshold("'hosts':''", "hosts", "hosts: must be 1 to 256 characters, got 0"),
        threshold("'hosts':null", "hosts", "hosts: must be a string, a glob like web-*, got null"),
        // op and threshold
        raw(
            "{'id':'r','metric':'m.x','threshold':1}",
            "op",
            "op: required for kind threshold, one of >, >=, <, <="),
        raw(
            "{'id':'r','metric':'m.x','op':'==','threshold':1}",
            "op",
            "op: must be one of >, >=, <, <=, got \"==\""),
        raw(
            "{'id':'r','metric':'m.x','op':'rising','threshold':1}",
            "op",
            "op: \"rising\" is only allowed in then.op; use one of >, >=, <, <="),
        raw(
            "{'id':'r','metric':'m.x','op':true,'threshold':1}",
            "op",
            "op: must be a string, one of >, >=, <, <=, got boolean"),
        raw(
            "{'id':'r','metric':'m.x','op':'>'}",
            "threshold",
            "threshold: required for kind threshold, a finite number"),
        raw(
            "{'id':'r','metric':'m.x','op':'>','threshold':'0.9'}",
            "threshold",
            "threshold: must be a number, got string"),
        raw(
            "{'id':'r','metric':'m.x','op':'>','threshold':NaN}",
            "threshold",
            "threshold: must be a finite number, got NaN"),
        raw(
            "{'id':'r','metric':'m.x','op':'>','threshold':-Infinity}",
            "threshold",
            "threshold: must be a finite number, got -Infinity"),
        raw(
            "{'id':'r','metric':'m.x','op':'>','threshold':1e400}",
            "threshold",
            "threshold: must be a finite number"),
        // durations
        threshold(
            "'for':'5x'", "for", "for: must be a duration like 500ms, 30s, 5m, 1h30m, got \"5x\""),
        threshold("'for':'-5m'", "for", "for: must be a duration like"),
        threshold("'for':''", "for", "for: must be a duration like"),
        threshold("'for':'99999999999999999999d'", "for", "for: must be a duration like"),
        threshold(
            "'for':300",
            "for",
            "for: must be a string, a duration like 500ms, 30s, 5m, 1h30m, got number"),
        threshold("'for':'8d'", "for", "for: must be at most 7d, got 8d"),
        threshold(
            "'for':'100000000000000d'", "for", "for: must be at most 7d, got 100000000000000d"),
        threshold("'max_gap':'500ms'", "max_gap", "max_gap: must be at least 1s, got 500ms"),
        threshold("'max_gap':'0'", "max_gap", "max_gap: must be at least 1s, got 0s"),
        threshold("'max_gap':'1w1ms'", "max_gap", "max_gap: must be at most 7d, got 7d1ms"),
        // resolve
        threshold(
            "'resolve':1.5",
            "resolve",
            "resolve: 1.5 is on the breaching side of > 1; must be <= 1"),
        raw(
            "{'id':'r','metric':'m.x','op':'<=','threshold':0.1,'resolve':0.05}",
            "resolve",
            "resolve: 0.05 is on the breaching side of <= 0.1; must be >= 0.1"),
        threshold("'resolve':'low'", "resolve", "resolve: must be a number, got string"),
        threshold(
            "'resolve':Infinity", "resolve", "resolve: must be a finite number, got Infinity"),
        // severity, summary, labels
        threshold(
            "'severity':'high'",
            "severity",
            "severity: must be one of info, warning, critical, got \"high\""),
        threshold("'severity':'CRITICAL'", "severity", "severity: must be one of"),
        threshold(
            "'summary':'{{host}} is at {{val}}'",
            "summary",
            "summary: unknown variable \"{{val}}\"; allowed: {{rule}} {{host}} {{series}} {{metric}}"
                + " {{value}} {{threshold}} {{severity}}"),
        threshold("'summary':'{{ host }}'", "summary", "summary: unknown variable \"{{ host }}\""),
        threshold(
            "'summary':'CPU on {{host'",
            "summary",
            "summary: \"{{\" at offset 7 is not closed by \"}}\""),
        threshold("'summary':' '", "summary", "summary: must not be empty"),
        threshold(
            "'summary':'" + "x".repeat(1025) + "'",
            "summary",
            "summary: must be at most 1024 characters, got 1025"),
        threshold("'summary':5", "summary", "summary: must be a string, a template, got number"),
        threshold(
            "'labels':{'1team':'db'}",
            "labels[\"1team\"]",
            "labels[\"1team\"]: label names must match ^[a-zA-Z_][a-zA-Z0-9_]*$"),
        threshold(
            "'labels':{'team':1}", "labels.team", "labels.team: must be a string, got number"),
        threshold("'labels':'team=db'", "labels", "labels: must be an object"),
        // host_down
        hostDown("'metric':'m.x'", "metric", "metric: not allowed for kind host_down"),
        hostDown("'match':{}", "match", "match: not allowed for kind host_down"),
        hostDown("'op':'>'", "op", "op: not allowed for kind host_down"),
        hostDown("'threshold':1", "threshold", "threshold: not allowed for kind host_down"),
        hostDown("'for':'1m'", "for", "for: not allowed for kind host_down"),
        hostDown("'resolve':1", "resolve", "resolve: not allowed for kind host_down"),
        hostDown("'max_gap':'1m'", "max_gap", "max_gap: not allowed for kind host_down"),
        hostDown("'then':{}", "then", "then: only allowed for kind sequence"),
        hostDown("'within':'1m'", "within", "within: only allowed for kind sequence"),
        hostDown(
            "'absent_for':'500ms'", "absent_for", "absent_for: must be at least 1s, got 500ms"),
        hostDown("'absent_for':'0'", "absent_for", "absent_for: must be at least 1s, got 0s"),
        hostDown("'absent_for':'30'", "absent_for", "absent_for: must be a duration like"),
        hostDown(
            "'colour':'red'",
            "colour",
            "colour: unknown key; allowed for kind host_down: id, kind, hosts, absent_for, severity,"
                + " summary, labels"),
        // sequence
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m'}",
            "then",
            "then: required for kind sequence"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,"
                + "'then':{'metric':'m.b','op':'rising'}}",
            "within",
            "within: required for kind sequence, a duration more than 0s and at most 1h"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,"
                + "'then':'m.b','within':'1m'}",
            "then",
            "then: must be an object {\"metric\", \"match\", \"op\", \"threshold\"}, got string"),
        sequence(
            "", "'absent_for':'1m'", "absent_for", "absent_for: only allowed for kind host_down"),
        sequence(
            ",'threshold':0.5",
            "",
            "then.threshold",
            "then.threshold: not allowed with op rising (it compares with the previous sample)"),
        sequence(
            ",'colour':'red'",
            "",
            "then.colour",
            "then.colour: unknown key; allowed: metric, match, op, threshold"),
        sequence(
            ",'match':{'device':7}",
            "",
            "then.match.device",
            "then.match.device: must be a string (\"\" = attribute absent), got number"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m',"
                + "'then':{'op':'rising'}}",
            "then.metric",
            "then.metric: required, a metric name like system.cpu.utilization"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m',"
                + "'then':{'metric':'m.b'}}",
            "then.op",
            "then.op: required, one of >, >=, <, <=, rising"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m',"
                + "'then':{'metric':'m.b','op':'up'}}",
            "then.op",
            "then.op: must be one of >, >=, <, <=, rising, got \"up\""),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m',"
                + "'then':{'metric':'m.b','op':'>='}}",
            "then.threshold",
            "then.threshold: required with op >=, a finite number"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2m',"
                + "'then':{'metric':'m.b','op':'>','threshold':NaN}}",
            "then.threshold",
            "then.threshold: must be a finite number, got NaN"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'0s',"
                + "'then':{'metric':'m.b','op':'rising'}}",
            "within",
            "within: must be more than 0s and at most 1h, got 0s"),
        raw(
            "{'id':'s','kind':'sequence','metric':'m.a','op':'>','threshold':0.9,'within':'2h',"
                + "'then':{'metric':'m.b','op':'rising'}}",
            "within",
            "within: must be at most 1h, got 2h"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("invalid")
  void refusesNamingTheField(String json, String field, String message) {
    RuleException e = catchThrowableOfType(RuleException.class, () -> RuleCodec.parse(json));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith(field + ": ").contains(message);
    assertThat(e.getMessage()).isEqualTo(field + ": " + e.problem());
  }

  @ParameterizedTest(name = "[{index}] rules[1] of {0} -> {1}")
  @MethodSource("invalid")
  void parseAllPrefixesTheFieldWithTheRuleIndex(String json, String field, String message) {
    if (field.equals("body")) {
      return; // a malformed element is a malformed file, tested below
    }
    String file = "[" + j("{'id':'ok','kind':'host_down'}") + "," + json + "]";

    RuleException e = catchThrowableOfType(RuleException.class, () -> RuleCodec.parseAll(file));

    String expected = field.startsWith("[") ? "rules[1]" + field : "rules[1]." + field;
    assertThat(e.field()).isEqualTo(expected);
    assertThat(e.getMessage()).startsWith(expected + ": ");
  }

  @Test
  void malformedMessagesSayWhereWithoutEchoingTheBody() {
    RuleException e =
        catchThrowableOfType(
            RuleException.class, () -> RuleCodec.parse("{\n \"id\": \"secret-token\",\n}"));

    assertThat(e.field()).isEqualTo("body");
    assertThat(e.getMessage())
        .startsWith("body: not valid JSON: ")
        .contains("line 3")
        .doesNotContain("\n");
    assertThat(e.getMessage()).doesNotContain("secret-token").hasSizeLessThan(250);
  }

  @Test
  void parseAllRefusesWhatIsNotAnArrayOfObjects() {
    assertThatThrownBy(() -> RuleCodec.parseAll(j("{'id':'a'}")))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("body"))
        .hasMessage("body: must be a JSON array of rules, got object");
    assertThatThrownBy(() -> RuleCodec.parseAll("[{\"id\":\"a\",\"kind\":\"host_down\"}, 1]"))
        .isInstanceOfSatisfying(
            RuleException.class, e -> assertThat(e.field()).isEqualTo("rules[1]"))
        .hasMessage("rules[1]: must be a JSON object, got number");
    assertThatThrownBy(() -> RuleCodec.parseAll("[{"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("body"));
    assertThatThrownBy(() -> RuleCodec.parseAll(" "))
        .hasMessage("body: empty; expected a JSON array of rules");
  }

  @Test
  void parseAllRefusesDuplicateIds() {
    String file =
        j(
            "[{'id':'a','kind':'host_down'},{'id':'b','kind':'host_down'},"
                + "{'id':'a','kind':'host_down','absent_for':'1m'}]");

    assertThatThrownBy(() -> RuleCodec.parseAll(file))
        .isInstanceOfSatisfying(
            RuleException.class, e -> assertThat(e.field()).isEqualTo("rules[2].id"))
        .hasMessage("rules[2].id: duplicate id \"a\", also rules[0]; ids must be unique");
  }

  @Test
  void theIdInThePathFillsAMissingIdAndMustAgreeWithAPresentOne() {
    assertThat(RuleCodec.parse(j("{'kind':'host_down'}"), "web-down").id()).isEqualTo("web-down");
    assertThat(RuleCodec.parse(j("{'id':'web-down','kind':'host_down'}"), "web-down").id())
        .isEqualTo("web-down");

    assertThatThrownBy(() -> RuleCodec.parse(j("{'id':'a','kind':'host_down'}"), "b"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("id"))
        .hasMessage("id: \"a\" differs from the id in the path \"b\"; omit it or make them equal");
    assertThatThrownBy(() -> RuleCodec.parse(j("{'kind':'host_down'}"), "no spaces"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("id"))
        .hasMessageStartingWith("id: must match");
  }

  @Test
  void longUserTextIsCutInMessages() {
    String id = "a b" + "x".repeat(500);

    RuleException e =
        catchThrowableOfType(
            RuleException.class,
            () -> RuleCodec.parse(j("{'id':'" + id + "','kind':'host_down'}")));

    assertThat(e.getMessage()).hasSizeLessThan(150).endsWith("...\"");
  }

  @Test
  void theConstructorChecksTheSameInvariantsForJavaCallers() {
    assertThatThrownBy(
            () ->
                new Rule(
                    "r",
                    RuleKind.THRESHOLD,
                    "m.x",
                    null,
                    null,
                    Op.GT,
                    1,
                    null,
                    2,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOfSatisfying(
            RuleException.class, e -> assertThat(e.field()).isEqualTo("resolve"));
    assertThatThrownBy(
            () ->
                new Rule(
                    "r",
                    RuleKind.THRESHOLD,
                    "m.x",
                    null,
                    null,
                    Op.GT,
                    1,
                    java.time.Duration.ofSeconds(-1),
                    Double.NaN,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessage("for: must not be negative");
    assertThatThrownBy(
            () ->
                new Rule(
                    "r",
                    RuleKind.THRESHOLD,
                    "m.x",
                    null,
                    null,
                    Op.GT,
                    1,
                    java.time.Duration.ofNanos(1500),
                    Double.NaN,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessage("for: must be whole milliseconds");
    assertThatThrownBy(() -> new Step("m.x", null, Op.RISING, 1))
        .hasMessage("threshold: not allowed with op rising (it compares with the previous sample)");
    assertThatThrownBy(
            () ->
                new Rule(
                    "r",
                    null,
                    "m.x",
                    null,
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
                    null))
        .hasMessage("kind: required, one of threshold, host_down, sequence");
  }
}
