package io.sysmonstm.relay.alerts;

import io.sysmonstm.relay.http.BadParameter;
import io.sysmonstm.relay.http.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A request for alert history: {@code GET /api/alerts?state=firing|resolved|all&since=…&limit=…},
 * checked.
 *
 * @param since the oldest transition time to answer (a firing row's {@code starts_at}, a resolved
 *     row's {@code ends_at}); {@code null} = no bound (only {@code state=firing} may leave it out)
 * @param limit at most this many transitions, newest first
 */
public record AlertsQuery(State state, Instant since, int limit) {

  /** Which transitions to answer. */
  public enum State {
    /** Firing transitions that have no resolved transition yet: the active alerts. */
    FIRING("firing"),
    /** Resolved transitions. */
    RESOLVED("resolved"),
    /** Every transition. */
    ALL("all");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static State parse(String text) {
      for (State s : values()) {
        if (s.label.equals(text)) {
          return s;
        }
      }
      throw BadParameter.invalid("state", "'" + text + "' is not one of firing, resolved, all");
    }
  }

  /** How far back {@code since} defaults to (except for {@code state=firing}: no bound). */
  public static final Duration DEFAULT_SINCE = Duration.ofHours(24);

  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 5_000;

  public AlertsQuery {
    Objects.requireNonNull(state, "state");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw BadParameter.invalid("limit", "must be from 1 to " + MAX_LIMIT + ", got " + limit);
    }
  }

  /**
   * Parses the query parameters.
   *
   * @param param the first value of a query parameter, or {@code null}
   * @param now the time the default {@code since} counts back from
   * @throws BadParameter naming the parameter
   */
  public static AlertsQuery parse(Function<String, String> param, Instant now) {
    String stateText = param.apply("state");
    State state = Params.blank(stateText) ? State.ALL : State.parse(stateText.trim());
    String sinceText = param.apply("since");
    Instant since;
    if (!Params.blank(sinceText)) {
      since = Params.time("since", sinceText);
    } else {
      since = state == State.FIRING ? null : now.minus(DEFAULT_SINCE);
    }
    int limit = Params.integer("limit", param.apply("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
    return new AlertsQuery(state, since, limit);
  }
}
