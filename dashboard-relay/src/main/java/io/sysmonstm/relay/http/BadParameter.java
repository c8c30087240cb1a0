package io.sysmonstm.relay.http;

/** A query parameter is missing or malformed: a 400 whose message names the parameter. */
public final class BadParameter extends RuntimeException {
  private final String parameter;

  public BadParameter(String parameter, String message) {
    super(message, null, false, false);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }

  public static BadParameter missing(String parameter) {
    return new BadParameter(parameter, "missing parameter '" + parameter + "'");
  }

  public static BadParameter invalid(String parameter, String why) {
    return new BadParameter(parameter, "invalid parameter '" + parameter + "': " + why);
  }
}
