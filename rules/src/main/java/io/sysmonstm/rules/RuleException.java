package io.sysmonstm.rules;

import java.util.Objects;

/**
 * A rule that cannot be accepted. {@link #field()} is the JSON path of the offending value ({@code
 * threshold}, {@code then.op}, {@code rules[2].for}, {@code body} for malformed JSON); {@link
 * #getMessage()} is {@code "<field>: <what is wrong, and what is allowed>"}, short enough to return
 * as-is in an HTTP 400.
 */
public final class RuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  /**
   * @param field JSON path of the offending value
   * @param problem what is wrong and what is allowed, without the field
   */
  public RuleException(String field, String problem) {
    super(
        Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem, "problem"));
    this.field = field;
    this.problem = problem;
  }

  /** JSON path of the offending value, e.g. {@code then.op}. */
  public String field() {
    return field;
  }

  /** The message without the field. */
  public String problem() {
    return problem;
  }

  /**
   * This error seen from an enclosing object: {@code rules[2]} + {@code for} = {@code
   * rules[2].for}.
   */
  RuleException under(String prefix) {
    return new RuleException(FieldPath.join(prefix, field), problem);
  }
}
