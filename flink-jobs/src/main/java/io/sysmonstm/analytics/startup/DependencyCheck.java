package io.sysmonstm.analytics.startup;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.config.StartupException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Checks before submitting that Kafka, PostgreSQL and Redis answer, so a wrong address ends {@code
 * main} with one line naming the flag instead of a job that restarts forever.
 */
public final class DependencyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyCheck.class);

  private DependencyCheck() {}

  /** Checks all three; the first that does not answer within {@code timeout} throws. */
  public static void all(JobConfig cfg, Duration timeout) {
    kafka(cfg, timeout);
    postgres(cfg, timeout);
    redis(cfg, timeout);
  }

  /** Kafka answers a describe-cluster request; warns when the samples topic does not exist yet. */
  public static void kafka(JobConfig cfg, Duration timeout) {
    int ms = (int) timeout.toMillis();
    Map<String, Object> props =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
      Set<String> topics = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
      if (!topics.contains(cfg.samplesTopic())) {
        LOG.warn(
            "Topic {} does not exist yet on {}; the job reads it once it is created (set"
                + " --samples-topic if the name is wrong)",
            cfg.samplesTopic(),
            cfg.kafkaBootstrap());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while checking Kafka", e);
    } catch (Exception e) {
      throw new StartupException(
          "Kafka at "
              + cfg.kafkaBootstrap()
              + " did not answer within "
              + timeout.toSeconds()
              + " s; check --kafka-bootstrap",
          e);
    }
  }

  /** PostgreSQL accepts a connection with the configured credentials. */
  public static void postgres(JobConfig cfg, Duration timeout) {
    DriverManager.setLoginTimeout((int) Math.max(1, timeout.toSeconds()));
    try (Connection c =
        DriverManager.getConnection(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword())) {
      c.isValid((int) Math.max(1, timeout.toSeconds()));
    } catch (Exception e) {
      throw new StartupException(
          "PostgreSQL at "
              + cfg.jdbcUrl()
              + " refused the connection ("
              + oneLine(e.getMessage())
              + "); check --jdbc-url, --jdbc-user and --jdbc-password",
          e);
    }
  }

  /** Redis answers PING. */
  public static void redis(JobConfig cfg, Duration timeout) {
    int timeoutMs = (int) timeout.toMillis();
    try (Jedis jedis = new Jedis(cfg.redisUrl(), timeoutMs, timeoutMs)) {
      jedis.ping();
    } catch (Exception e) {
      throw new StartupException(
          "Redis at "
              + cfg.redisUrl().getHost()
              + ":"
              + (cfg.redisUrl().getPort() < 0 ? 6379 : cfg.redisUrl().getPort())
              + " did not answer PING ("
              + oneLine(e.getMessage())
              + "); check --redis-url",
          e);
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "no reason given";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
