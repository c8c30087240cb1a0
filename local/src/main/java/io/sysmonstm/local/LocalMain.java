package io.sysmonstm.local;

import io.sysmonstm.config.Launcher;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar local/target/sysmonstm-local.jar}: the whole pipeline on this machine; {@code
 * --help} lists the settings.
 */
public final class LocalMain {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMain.class);

  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        LocalConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting the local stack with {}", s.describe());
          long started = System.nanoTime();
          LocalStack stack = LocalStack.start(cfg);
          CountDownLatch stopped = new CountDownLatch(1);
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        LOG.info("Stopping the local stack");
                        stack.close();
                        LOG.info("Stopped");
                        stopped.countDown();
                        LogManager.shutdown();
                      },
                      "sysmonstm-shutdown"));
          System.out.println(stack.banner());
          LOG.info("Started in {} ms", (System.nanoTime() - started) / 1_000_000);
          stopped.await();
        });
  }
}
