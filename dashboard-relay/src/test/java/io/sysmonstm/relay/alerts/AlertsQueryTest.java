package io.sysmonstm.relay.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sysmonstm.relay.alerts.AlertsQuery.State;
import io.sysmonstm.relay.http.BadParameter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsQueryTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private static AlertsQuery parse(String... kv) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return AlertsQuery.parse(params::get, NOW);
  }

  private static BadParameter bad(String... kv) {
    BadParameter e = catchThrowableOfType(BadParameter.class, () -> parse(kv));
    assertThat(e).as("BadParameter for " + String.join(" ", kv)).isNotNull();
    return e;
  }

  @Test
  void defaultsToEveryTransitionOfTheLastDayAtMost500() {
    AlertsQuery q = parse();
    assertThat(q.state()).isEqualTo(State.ALL);
    assertThat(q.since()).isEqualTo(NOW.minus(Duration.ofHours(24)));
    assertThat(q.limit()).isEqualTo(500);
    assertThat(parse("state", "resolved").since()).isEqualTo(NOW.minus(Duration.ofHours(24)));
  }

  @Test
  void activeAlertsHaveNoDefaultSince() {
    AlertsQuery q = parse("state", "firing");
    assertThat(q.state()).isEqualTo(State.FIRING);
    assertThat(q.since()).isNull();
    assertThat(parse("state", "firing", "since", "2025-06-01T11:00:00Z").since())
        .isEqualTo(Instant.parse("2025-06-01T11:00:00Z"));
  }

  @Test
  void sinceIsIsoOrEpochMillisAndLimitIsBounded() {
    assertThat(parse("since", "2025-06-01T10:00:00+02:00").since())
        .isEqualTo(Instant.parse("2025-06-01T08:00:00Z"));
    assertThat(parse("since", "1748736000000").since())
        .isEqualTo(Instant.ofEpochMilli(1_748_736_000_000L));
    assertThat(parse("limit", "1").limit()).isEqualTo(1);
    assertThat(parse("limit", " 5000 ").limit()).isEqualTo(5000);
  }

  @Test
  void badParametersAreNamed() {
    assertThat(bad("state", "open").getMessage())
        .isEqualTo("invalid parameter 'state': 'open' is not one of firing, resolved, all");
    assertThat(bad("state", "FIRING").parameter()).isEqualTo("state");
    assertThat(bad("since", "yesterday").getMessage())
        .startsWith("invalid parameter 'since'")
        .contains("yesterday");
    assertThat(bad("since", "2025-02-30T00:00:00Z").parameter()).isEqualTo("since");
    for (String limit : new String[] {"0", "5001", "-1", "ten", "1.5", "99999999999"}) {
      assertThat(bad("limit", limit).getMessage())
          .as(limit)
          .isEqualTo(
              "invalid parameter 'limit': '" + limit + "' is not a whole number from 1 to 5000");
    }
  }

  @Test
  void eachStateReadsItsOwnTransitions() {
    assertThat(AlertsReader.sql(parse("state", "firing")))
        .contains("a.state = 'firing' AND NOT EXISTS")
        .doesNotContain("$2");
    assertThat(AlertsReader.sql(parse("state", "firing", "since", "0")))
        .contains("a.starts_at >= $2");
    assertThat(AlertsReader.sql(parse("state", "resolved"))).contains("a.ends_at >= $2");
  }
}
