package io.sysmonstm.relay;

import io.sysmonstm.config.Launcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sysmonstm-dashboard-relay-all.jar [--port 8080] [--redis-url …] …}; {@code
 * --help} lists the settings.
 */
public final class RelayMain {
  private static final Logger LOG = LoggerFactory.getLogger(RelayMain.class);

  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        RelayConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting dashboard-relay with {}", s.describe());
          RelayServer server = RelayServer.start(cfg);
          Runtime.getRuntime().addShutdownHook(new Thread(server::close, "relay-shutdown"));
          LOG.info(
              "Dashboard at http://{}:{}/ (Ctrl-C stops)",
              "0.0.0.0".equals(cfg.bind()) ? "localhost" : cfg.bind(),
              server.port());
          server.awaitTermination();
        });
  }
}
