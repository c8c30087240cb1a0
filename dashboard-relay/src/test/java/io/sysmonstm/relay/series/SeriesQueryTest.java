package io.sysmonstm.relay.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.relay.http.BadParameter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesQueryTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private static SeriesQuery parse(String... kv) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return SeriesQuery.parse("web-1", params::get, NOW);
  }

  private static BadParameter bad(String... kv) {
    try {
      parse(kv);
    } catch (BadParameter e) {
      return e;
    }
    throw new AssertionError("no BadParameter for " + String.join(" ", kv));
  }

  @Test
  void defaultsToTheLastHourWithAutoStep() {
    SeriesQuery q = parse("metric", "system.cpu.utilization");
    assertThat(q.to()).isEqualTo(NOW);
    assertThat(q.from()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(q.step()).isEqualTo(Step.MINUTE);
    assertThat(q.attrs()).isEmpty();
    assertThat(q.attrsJson()).isEqualTo("{}");
  }

  @Test
  void timesAreIsoOrEpochMillis() {
    SeriesQuery q =
        parse(
            "metric", "m",
            "from", "2025-06-01T10:00:00+02:00",
            "to", String.valueOf(Instant.parse("2025-06-01T09:00:00Z").toEpochMilli()));
    assertThat(q.from()).isEqualTo(Instant.parse("2025-06-01T08:00:00Z"));
    assertThat(q.to()).isEqualTo(Instant.parse("2025-06-01T09:00:00Z"));
    // an unencoded '+' arrives as a space
    assertThat(parse("metric", "m", "from", "2025-06-01T10:00:00 02:00").from())
        .isEqualTo(Instant.parse("2025-06-01T08:00:00Z"));
    assertThat(parse("metric", "m", "from", "2025-06-01T11:30:00.250Z").from())
        .isEqualTo(Instant.parse("2025-06-01T11:30:00.250Z"));
  }

  @Test
  void autoStepFollowsTheRange() {
    assertThat(parse("metric", "m", "from", "2025-06-01T11:45:00Z").step()).isEqualTo(Step.RAW);
    assertThat(parse("metric", "m", "from", "2025-06-01T11:44:59Z").step()).isEqualTo(Step.MINUTE);
    assertThat(parse("metric", "m", "from", "2025-05-30T12:00:00Z").step()).isEqualTo(Step.MINUTE);
    assertThat(parse("metric", "m", "from", "2025-05-30T11:59:59Z").step()).isEqualTo(Step.HOUR);
    assertThat(parse("metric", "m", "step", "raw", "from", "2025-05-01T00:00:00Z").step())
        .isEqualTo(Step.RAW);
    assertThat(parse("metric", "m", "step", "1h").step()).isEqualTo(Step.HOUR);
  }

  @Test
  void attrsAreJsonOrPairs() {
    assertThat(
            parse("metric", "m", "attrs", "{\"direction\":\"receive\",\"device\":\"eth0\"}")
                .attrsJson())
        .isEqualTo("{\"device\":\"eth0\",\"direction\":\"receive\"}");
    assertThat(parse("metric", "m", "attrs", "direction=receive, device=eth0").attrsJson())
        .isEqualTo("{\"device\":\"eth0\",\"direction\":\"receive\"}");
    assertThat(parse("metric", "m", "attrs", "{\"cpu\":3}").attrs()).containsEntry("cpu", "3");
    assertThat(parse("metric", "m", "attrs", "mountpoint=C:\\=x").attrs())
        .containsEntry("mountpoint", "C:\\=x");
  }

  @Test
  void badParametersAreNamed() {
    assertThat(bad().getMessage()).isEqualTo("missing parameter 'metric'");
    assertThat(bad("metric", " ").parameter()).isEqualTo("metric");
    assertThat(bad("metric", "m", "from", "yesterday").getMessage())
        .startsWith("invalid parameter 'from'")
        .contains("yesterday");
    assertThat(bad("metric", "m", "to", "2025-13-01T00:00:00Z").parameter()).isEqualTo("to");
    assertThat(bad("metric", "m", "from", "2025-06-01T13:00:00Z").getMessage())
        .startsWith("invalid parameter 'from'")
        .contains("must be before 'to'");
    assertThat(bad("metric", "m", "from", String.valueOf(NOW.toEpochMilli())).parameter())
        .isEqualTo("from");
    assertThat(bad("metric", "m", "step", "5m").getMessage())
        .isEqualTo("invalid parameter 'step': '5m' is not one of auto, raw, 1m, 1h");
    assertThat(bad("metric", "m", "attrs", "{\"cpu\":").parameter()).isEqualTo("attrs");
    assertThat(bad("metric", "m", "attrs", "{\"cpu\":{\"x\":1}}").parameter()).isEqualTo("attrs");
    assertThat(bad("metric", "m", "attrs", "cpu").parameter()).isEqualTo("attrs");
    assertThat(bad("metric", "m", "attrs", "cpu=1,cpu=2").getMessage()).contains("twice");
  }
}
