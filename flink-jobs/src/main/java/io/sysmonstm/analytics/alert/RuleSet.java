package io.sysmonstm.analytics.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.rules.RuleException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in effect: the rules file the job started with, overlaid with the changes received on
 * {@code sysmonstm.rules} (kept in broadcast state as rule id to JSON, {@link #DELETED} for a
 * deletion, so deleting a rule of the file survives a restart). Parsing is cached per JSON text.
 */
final class RuleSet {
  /** Broadcast-state value of a deleted rule. */
  static final String DELETED = "";

  private static final Logger LOG = LoggerFactory.getLogger(RuleSet.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Rule> fileRules;
  private final Map<String, Rule> parsed = new LinkedHashMap<>();
  private final Map<String, String> labelsJson = new LinkedHashMap<>();
  private List<Rule> effective = List.of();
  private Map<String, String> lastOverrides = Map.of();

  RuleSet(List<Rule> fileRules) {
    Map<String, Rule> m = new LinkedHashMap<>();
    fileRules.forEach(r -> m.put(r.id(), r));
    this.fileRules = Collections.unmodifiableMap(m);
    this.effective = List.copyOf(m.values());
  }

  /** The rules in effect given the overrides (rule id to JSON or {@link #DELETED}). */
  List<Rule> rules(Map<String, String> overrides) {
    if (overrides.equals(lastOverrides)) {
      return effective;
    }
    Map<String, Rule> m = new TreeMap<>(fileRules);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (DELETED.equals(e.getValue())) {
        m.remove(e.getKey());
      } else {
        Rule r = parse(e.getKey(), e.getValue());
        if (r != null) {
          m.put(r.id(), r);
        }
      }
    }
    effective = List.copyOf(m.values());
    lastOverrides = Map.copyOf(overrides);
    return effective;
  }

  /** The rule of {@code json}, or null (logged) when it is not a valid rule. */
  static Rule parseOrNull(String id, String json) {
    try {
      return RuleCodec.parse(json, id);
    } catch (RuleException e) {
      LOG.warn("Ignoring rule {} from the rules topic: {}", id, e.getMessage());
      return null;
    }
  }

  private Rule parse(String id, String json) {
    String cacheKey = id + '\u0000' + json;
    Rule r = parsed.get(cacheKey);
    if (r == null && !parsed.containsKey(cacheKey)) {
      r = parseOrNull(id, json);
      if (parsed.size() > 10_000) {
        parsed.clear();
      }
      parsed.put(cacheKey, r);
    }
    return r;
  }

  /** The rule's labels as a JSON object (sorted keys). */
  String labels(Rule r) {
    return labelsJson.computeIfAbsent(
        r.id() + '\u0000' + r.labels(),
        k -> {
          try {
            return JSON.writeValueAsString(new TreeMap<>(r.labels()));
          } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
