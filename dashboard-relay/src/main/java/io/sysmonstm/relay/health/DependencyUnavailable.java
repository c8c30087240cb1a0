package io.sysmonstm.relay.health;

/** A request could not be answered because a dependency did not answer: a 503, not a 500. */
public final class DependencyUnavailable extends RuntimeException {
  private final transient DependencyStatus dependency;

  public DependencyUnavailable(DependencyStatus dependency, Throwable cause) {
    super(dependency.name() + " is unavailable", cause, false, false);
    this.dependency = dependency;
  }

  public DependencyStatus dependency() {
    return dependency;
  }

  /**
   * Records the outcome of a call to {@code dependency}: marks it up or down, and turns a failure
   * into {@link DependencyUnavailable}.
   */
  public static <T> io.vertx.core.Future<T> guard(
      io.vertx.core.Future<T> call, DependencyStatus dependency, long timeoutMs) {
    return call.timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                dependency.markUp();
              } else if (isUnreachable(ar.cause())) {
                dependency.markDown(ar.cause());
              }
            })
        .recover(
            e ->
                io.vertx.core.Future.failedFuture(
                    isUnreachable(e) ? new DependencyUnavailable(dependency, e) : e));
  }

  /** A failure of the connection (refused, reset, timed out), not of the statement. */
  private static boolean isUnreachable(Throwable e) {
    return !(e instanceof io.vertx.pgclient.PgException);
  }
}
