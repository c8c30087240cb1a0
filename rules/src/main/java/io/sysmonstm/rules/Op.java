package io.sysmonstm.rules;

import java.util.Optional;

/** A comparison; JSON {@code >}, {@code >=}, {@code <}, {@code <=}, {@code rising}. */
public enum Op {
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  /**
   * The value is above the previous sample of the same series: {@code test(value, previous)}. Only
   * valid in a sequence's {@code then}.
   */
  RISING("rising");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  /** The JSON form, e.g. {@code >=}. */
  public String symbol() {
    return symbol;
  }

  /**
   * Whether {@code value} is on the breaching side of {@code threshold}; for {@link #RISING} the
   * second argument is the previous sample's value. False when either is NaN.
   */
  public boolean test(double value, double threshold) {
    return switch (this) {
      case GT, RISING -> value > threshold;
      case GE -> value >= threshold;
      case LT -> value < threshold;
      case LE -> value <= threshold;
    };
  }

  /** True for {@code >} and {@code >=}: higher values breach. */
  boolean upward() {
    return this == GT || this == GE || this == RISING;
  }

  /** The op written {@code symbol} in JSON, if any. */
  public static Optional<Op> fromSymbol(String symbol) {
    for (Op op : values()) {
      if (op.symbol.equals(symbol)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
