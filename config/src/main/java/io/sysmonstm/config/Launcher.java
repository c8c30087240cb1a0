package io.sysmonstm.config;

/** Runs a service's {@code main}: invalid configuration ends the process with one line, exit 2. */
public final class Launcher {
  /** What a service does after reading its settings. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  private Launcher() {}

  /**
   * Runs {@code body}. A {@link ConfigException} prints {@code "<service>: <message>"} to stderr
   * and exits 2; a {@link StartupException} (a port in use, a server that cannot be reached) prints
   * its one line and exits 1. Other failures propagate.
   */
  public static void run(String service, Body body) throws Exception {
    try {
      body.run();
    } catch (ConfigException e) {
      System.err.println(service + ": " + e.getMessage());
      System.exit(2);
    } catch (StartupException e) {
      System.err.println(service + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
