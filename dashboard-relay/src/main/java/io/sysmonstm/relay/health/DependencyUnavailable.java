package io.sysmonstm.relay.health;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.concurrent.TimeUnit;

/** A request could not be answered because a dependency did not answer: a 503, not a 500. */
public final class DependencyUnavailable extends RuntimeException {
  private final transient DependencyStatus dependency;

  public DependencyUnavailable(DependencyStatus dependency, Throwable cause) {
    this(dependency, dependency.name() + " is unavailable", cause);
  }

  /** With a message for people (it is the 503's body). */
  public DependencyUnavailable(DependencyStatus dependency, String message, Throwable cause) {
    super(message, cause, false, false);
    this.dependency = dependency;
  }

  public DependencyStatus dependency() {
    return dependency;
  }

  /**
   * Records the outcome of a call to {@code dependency}: marks it up or down, and turns a failure
   * into {@link DependencyUnavailable}. A call that failed because another dependency did not
   * answer (a {@link DependencyUnavailable} already) passes through unchanged.
   */
  public static <T> Future<T> guard(Future<T> call, DependencyStatus dependency, long timeoutMs) {
    return guard(call.timeout(timeoutMs, TimeUnit.MILLISECONDS), dependency);
  }

  /**
   * Like {@link #guard(Future, DependencyStatus, long)} without a deadline of its own: for writes,
   * whose outcome must be known before answering (abandoning one could let it commit after a
   * failure was reported).
   */
  public static <T> Future<T> guard(Future<T> call, DependencyStatus dependency) {
    return call.andThen(
            ar -> {
              if (ar.succeeded()) {
                dependency.markUp();
              } else if (isUnreachable(ar.cause())) {
                dependency.markDown(ar.cause());
              }
            })
        .recover(
            e ->
                Future.failedFuture(
                    isUnreachable(e) ? new DependencyUnavailable(dependency, e) : e));
  }

  /** A failure of the connection (refused, reset, timed out), not of the statement. */
  private static boolean isUnreachable(Throwable e) {
    return !(e instanceof PgException) && !(e instanceof DependencyUnavailable);
  }
}
