package io.sysmonstm.relay.rules;

import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.rules.RuleException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules as the relay accepted them, in table {@code alert_rules}, and their publication to the
 * rules topic. A change is one database transaction that writes the row, publishes the change and
 * waits for Kafka's acknowledgement, then commits: when Kafka does not acknowledge, the transaction
 * rolls back and neither the table nor the topic changed. The row lock the write takes orders
 * concurrent changes of one rule the same way in the table and on the topic.
 */
public final class RulesStore {
  private static final Logger LOG = LoggerFactory.getLogger(RulesStore.class);
  private static final long READ_TIMEOUT_MS = 10_000;

  private static final String LIST =
      "SELECT id, rule::text FROM alert_rules ORDER BY id COLLATE \"C\"";
  private static final String GET = "SELECT rule::text FROM alert_rules WHERE id = $1";
  // xmax = 0: the row is new (inserted by this statement), not an updated one
  private static final String UPSERT =
      "INSERT INTO alert_rules (id, rule, updated_at) VALUES ($1, $2::text::jsonb, now())"
          + " ON CONFLICT (id) DO UPDATE SET rule = EXCLUDED.rule, updated_at = now()"
          + " RETURNING (xmax = 0) AS created";
  private static final String DELETE = "DELETE FROM alert_rules WHERE id = $1";
  private static final String SEED =
      "INSERT INTO alert_rules (id, rule)"
          + " SELECT r ->> 'id', r FROM jsonb_array_elements($1::text::jsonb) AS r"
          + " WHERE NOT EXISTS (SELECT 1 FROM alert_rules)"
          + " ON CONFLICT (id) DO NOTHING";

  private final Pool pg;
  private final DependencyStatus pgStatus;
  private final RulePublisher publisher;

  /**
   * @param pg a pool of its own: a write holds its connection while Kafka answers (seconds when it
   *     does not), which must not starve the dashboard's reads
   */
  public RulesStore(Pool pg, DependencyStatus pgStatus, RulePublisher publisher) {
    this.pg = pg;
    this.pgStatus = pgStatus;
    this.publisher = publisher;
  }

  /** The topic rule changes are published to. */
  public String topic() {
    return publisher.topic();
  }

  /** Kafka's status: a change that fails with it unavailable was not made. */
  public DependencyStatus kafka() {
    return publisher.status();
  }

  /** Every rule as canonical JSON, by id. */
  public Future<List<String>> list() {
    Future<List<String>> rules =
        pg.query(LIST)
            .execute()
            .map(
                rows -> {
                  List<String> out = new ArrayList<>(rows.size());
                  for (Row r : rows) {
                    out.add(canonical(r.getString(0), r.getString(1)));
                  }
                  return out;
                });
    return DependencyUnavailable.guard(rules, pgStatus, READ_TIMEOUT_MS);
  }

  /** One rule as canonical JSON; empty when there is none with this id. */
  public Future<Optional<String>> get(String id) {
    Future<Optional<String>> rule =
        pg.preparedQuery(GET)
            .execute(Tuple.of(id))
            .map(
                rows ->
                    rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(canonical(id, rows.iterator().next().getString(0))));
    return DependencyUnavailable.guard(rule, pgStatus, READ_TIMEOUT_MS);
  }

  /**
   * Writes {@code rule} and publishes it; completes with {@code true} when it was created, {@code
   * false} when it replaced one. Fails with {@link DependencyUnavailable} (Kafka or PostgreSQL)
   * when the change could not be made; then nothing changed.
   */
  public Future<Boolean> put(Rule rule) {
    String json = RuleCodec.toJson(rule);
    AtomicBoolean published = new AtomicBoolean();
    Future<Boolean> created =
        pg.withTransaction(
            conn ->
                conn.preparedQuery(UPSERT)
                    .execute(Tuple.of(rule.id(), json))
                    .compose(
                        rows -> {
                          boolean isNew = rows.iterator().next().getBoolean("created");
                          return publisher
                              .publish(rule.id(), json)
                              .map(
                                  v -> {
                                    published.set(true);
                                    return isNew;
                                  });
                        }));
    return DependencyUnavailable.guard(
        created.onFailure(e -> warnIfAhead(published, rule.id(), e)), pgStatus);
  }

  /**
   * Deletes the rule and publishes a tombstone; completes with {@code false} when there was no such
   * rule (then nothing is published).
   */
  public Future<Boolean> delete(String id) {
    AtomicBoolean published = new AtomicBoolean();
    Future<Boolean> deleted =
        pg.withTransaction(
            conn ->
                conn.preparedQuery(DELETE)
                    .execute(Tuple.of(id))
                    .compose(
                        rows -> {
                          if (rows.rowCount() == 0) {
                            return Future.succeededFuture(false);
                          }
                          return publisher
                              .publish(id, null)
                              .map(
                                  v -> {
                                    published.set(true);
                                    return true;
                                  });
                        }));
    return DependencyUnavailable.guard(
        deleted.onFailure(e -> warnIfAhead(published, id, e)), pgStatus);
  }

  /**
   * Fills an empty {@code alert_rules} with {@code defaults} (the job loads the same ones from its
   * rules file, so nothing is published); completes with the number of rules written, 0 when the
   * table had rules.
   */
  public Future<Integer> seed(List<Rule> defaults) {
    String array =
        defaults.stream().map(RuleCodec::toJson).collect(Collectors.joining(",", "[", "]"));
    return pg.preparedQuery(SEED).execute(Tuple.of(array)).map(SqlResult::rowCount);
  }

  /** The commit failed after Kafka took the change: the topic is ahead of the table. */
  private void warnIfAhead(AtomicBoolean published, String id, Throwable e) {
    if (published.get()) {
      LOG.error(
          "Rule {} was published to {} but the database commit failed ({}); the topic is ahead of"
              + " alert_rules until the rule is written again",
          id,
          publisher.topic(),
          DependencyStatus.describe(e));
    }
  }

  /**
   * The stored rule in canonical form; a row this version cannot read (written by a newer relay, or
   * by hand) is answered as stored.
   */
  private static String canonical(String id, String stored) {
    try {
      return RuleCodec.toJson(RuleCodec.parse(stored));
    } catch (RuleException e) {
      LOG.debug("Rule {} in alert_rules is not valid here ({}); answering it as stored", id, e);
      return stored;
    }
  }
}
