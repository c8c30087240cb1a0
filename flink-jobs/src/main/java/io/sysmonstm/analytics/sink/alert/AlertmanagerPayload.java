package io.sysmonstm.analytics.sink.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysmonstm.analytics.alert.AlertEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts}: a JSON array of postable alerts.
 *
 * <p>Labels (the alert's identity in Alertmanager): the rule's own labels, then {@code alertname} =
 * rule id, {@code host} = host id, {@code series} = series key and {@code severity}, which win over
 * rule labels of the same name; {@code host} and {@code series} are left out when empty (an empty
 * label is no label for Alertmanager). Annotations: {@code summary}, {@code fingerprint}.
 *
 * <p>{@code startsAt} is the event time the alert started; {@code endsAt} is the event time it
 * resolved, or for a firing alert {@code now + 4 × resend interval} (as Prometheus does): the alert
 * stays firing in Alertmanager as long as it is re-sent, and resolves by itself if the job stops
 * sending.
 */
final class AlertmanagerPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many resend intervals a firing alert stays valid in Alertmanager. */
  static final int RESEND_VALIDITY = 4;

  private AlertmanagerPayload() {}

  static String body(
      List<AlertEvent> events, long nowMs, long resendIntervalMs, Optional<String> generatorUrl) {
    ArrayNode alerts = JSON.createArrayNode();
    for (AlertEvent e : events) {
      alerts.add(alert(e, nowMs, resendIntervalMs, generatorUrl));
    }
    try {
      return JSON.writeValueAsString(alerts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write Alertmanager alerts", e);
    }
  }

  static ObjectNode alert(
      AlertEvent e, long nowMs, long resendIntervalMs, Optional<String> generatorUrl) {
    ObjectNode a = JSON.createObjectNode();
    ObjectNode labels = a.putObject("labels");
    ruleLabels(e.labels(), labels);
    labels.put("alertname", e.ruleId());
    if (!e.hostId().isEmpty()) {
      labels.put("host", e.hostId());
    }
    if (!e.series().isEmpty()) {
      labels.put("series", e.series());
    }
    labels.put("severity", e.severity());
    ObjectNode annotations = a.putObject("annotations");
    annotations.put("summary", e.summary());
    annotations.put("fingerprint", e.fingerprint());
    a.put("startsAt", iso(e.startsAtMs()));
    long endsAt = e.firing() ? nowMs + RESEND_VALIDITY * resendIntervalMs : e.endsAtMs();
    a.put("endsAt", iso(endsAt));
    generatorUrl.ifPresent(url -> a.put("generatorURL", url));
    return a;
  }

  /** The rule's labels as strings; anything that is not a JSON object adds none. */
  private static void ruleLabels(String labelsJson, ObjectNode into) {
    JsonNode rule;
    try {
      rule = JSON.readTree(labelsJson);
    } catch (JsonProcessingException e) {
      return; // AlertEvent.toJson refuses such labels already; Alertmanager gets none
    }
    if (rule == null || !rule.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      JsonNode v = label.getValue();
      if (v.isNull()) {
        continue;
      }
      into.put(label.getKey(), v.isValueNode() ? v.asText() : v.toString());
    }
  }

  static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
