package io.sysmonstm.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayMetricsTest {
  @Test
  void rendersPrometheusText() {
    RelayMetrics m = new RelayMetrics();
    m.webSocketClients(() -> 3);
    m.countRequest("/api/hosts", 200);
    m.countRequest("/api/hosts", 200);
    m.countRequest("/api/hosts/{id}/series", 400);
    m.countLiveMessage();
    m.countRuleWrite("put", "created");
    m.countRuleWrite("put", "invalid");
    m.countRuleWrite("put", "invalid");
    m.countRuleWrite("delete", "kafka_unavailable");
    String text = m.render();
    assertThat(text)
        .contains(
            "# TYPE sysmonstm_relay_websocket_clients gauge\nsysmonstm_relay_websocket_clients 3\n")
        .contains("# TYPE sysmonstm_relay_http_requests_total counter\n")
        .contains("sysmonstm_relay_http_requests_total{route=\"/api/hosts\",status=\"200\"} 2\n")
        .contains(
            "sysmonstm_relay_http_requests_total{route=\"/api/hosts/{id}/series\",status=\"400\"} 1\n")
        .contains("sysmonstm_relay_live_messages_total 1\n")
        .contains("# TYPE sysmonstm_relay_rule_writes_total counter\n")
        .contains(
            "sysmonstm_relay_rule_writes_total{op=\"delete\",outcome=\"kafka_unavailable\"} 1\n"
                + "sysmonstm_relay_rule_writes_total{op=\"put\",outcome=\"created\"} 1\n"
                + "sysmonstm_relay_rule_writes_total{op=\"put\",outcome=\"invalid\"} 2\n")
        .endsWith("\n");
  }
}
