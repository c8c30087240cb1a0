package io.sysmonstm.ingress;

import io.sysmonstm.config.Launcher;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sysmonstm-ingress-all.jar [--flag value …]}: runs ingress until stopped; {@code
 * --help} lists the settings.
 */
public final class IngressMain {
  private static final Logger LOG = LoggerFactory.getLogger(IngressMain.class);

  private IngressMain() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        IngressConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting ingress with {}", s.describe());
          try (IngressServer server = IngressServer.start(cfg)) {
            Runtime.getRuntime()
                .addShutdownHook(
                    new Thread(
                        () -> {
                          server.close();
                          // log4j2.xml turns log4j's own hook off so the lines above get out
                          LogManager.shutdown();
                        },
                        "ingress-shutdown"));
            server.awaitTermination();
          }
        });
  }
}
