package io.sysmonstm.collector;

import io.sysmonstm.config.Launcher;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sysmonstm-collector-<version>-all.jar --ingress host:50051 ...}; {@code --help}
 * lists the settings.
 */
public final class CollectorMain {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

  private CollectorMain() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        CollectorConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting collector {} with {}", Collector.VERSION, s.describe());
          Collector collector = Collector.start(cfg);
          CountDownLatch stopped = new CountDownLatch(1);
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        LOG.info("Stopping collector");
                        collector.close();
                        stopped.countDown();
                      },
                      "sysmonstm-collector-shutdown"));
          stopped.await();
        });
  }
}
