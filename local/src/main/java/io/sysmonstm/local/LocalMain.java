package io.sysmonstm.local;

import io.sysmonstm.config.Launcher;
import io.sysmonstm.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar local/target/sysmonstm-local.jar}: the whole pipeline on this machine. */
public final class LocalMain {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMain.class);

  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        "sysmonstm-local",
        () -> {
          Settings s = Settings.parse(args, System.getenv());
          LocalConfig cfg = LocalConfig.from(s);
          s.rejectUnknown();
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
