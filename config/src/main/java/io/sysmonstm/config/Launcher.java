package io.sysmonstm.config;

/** Runs a service's {@code main}: invalid configuration ends the process with one line, exit 2. */
public final class Launcher {
  /** What a service does after reading its settings. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** What a service does with its configuration and the settings it was read from. */
  @FunctionalInterface
  public interface Service<C> {
    void run(C config, Settings settings) throws Exception;
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

  /**
   * Answers {@code --help} / {@code -h} with the settings' help on stdout (and returns, exit 0);
   * otherwise reads {@code args} and the environment through {@code settings} and runs {@code
   * service}, failing as {@link #run(String, Body)} does.
   */
  public static <C> void run(String[] args, ServiceSettings<C> settings, Service<C> service)
      throws Exception {
    if (ServiceSettings.helpRequested(args)) {
      System.out.print(settings.help());
      System.out.flush();
      return;
    }
    run(
        settings.service(),
        () -> {
          Settings s = Settings.parse(args, System.getenv());
          service.run(settings.load(s), s);
        });
  }
}
