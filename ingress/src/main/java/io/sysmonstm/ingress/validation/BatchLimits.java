package io.sysmonstm.ingress.validation;

import java.time.Duration;
import java.util.Objects;

/**
 * What a batch may hold.
 *
 * @param maxFutureSkew how far ahead of the server's clock a snapshot timestamp may be
 * @param maxAge how far behind the server's clock a snapshot timestamp may be
 * @param maxSamples samples in the whole batch
 * @param maxAttributes attributes of one sample
 * @param maxAttributeLength characters of one attribute key or value, and of a host fact
 */
public record BatchLimits(
    Duration maxFutureSkew,
    Duration maxAge,
    int maxSamples,
    int maxAttributes,
    int maxAttributeLength) {

  public BatchLimits {
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("skew must be >= 0 and age > 0");
    }
    if (maxSamples < 1 || maxAttributes < 0 || maxAttributeLength < 1) {
      throw new IllegalArgumentException(
          "maxSamples and maxAttributeLength must be >= 1, maxAttributes >= 0");
    }
  }
}
