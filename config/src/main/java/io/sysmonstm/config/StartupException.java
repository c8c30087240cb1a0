package io.sysmonstm.config;

/**
 * A service cannot start for a reason outside its configuration's syntax: a port already in use, a
 * dependency that does not answer. The message is one line naming the setting that fixes it.
 */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
