package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.embedded.Ports;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's real {@code main} in a child JVM: bad configuration or an unreachable dependency
 * ends the process with exactly one line on stderr naming the setting, and a non-zero exit, well
 * before any hang would show.
 */
class BadConfigurationIT {

  static List<Arguments> cases() {
    int closed = Ports.free(); // nothing listens here
    return List.of(
        Arguments.of(
            "io.sysmonstm.collector.CollectorMain", List.of("--interval", "0"), 2, "--interval"),
        Arguments.of(
            "io.sysmonstm.collector.CollectorMain",
            List.of("--ingress", "localhost"),
            2,
            "--ingress"),
        Arguments.of(
            "io.sysmonstm.ingress.IngressMain",
            List.of(
                "--kafka-bootstrap", "localhost:" + closed, "--kafka-timeout", "2s", "--port", "0"),
            1,
            "--kafka-bootstrap"),
        Arguments.of(
            "io.sysmonstm.relay.RelayMain",
            List.of("--redis-url", "localhost:6379"),
            2,
            "--redis-url"),
        Arguments.of(
            "io.sysmonstm.relay.RelayMain",
            List.of("--jdbc-url", "postgres://localhost/x"),
            2,
            "--jdbc-url"),
        Arguments.of(
            "io.sysmonstm.analytics.AnalyticsJob",
            List.of("--kafka-bootstrap", "localhost:" + closed),
            1,
            "--kafka-bootstrap"),
        Arguments.of("io.sysmonstm.local.LocalMain", List.of("--interval", "0"), 2, "--interval"),
        Arguments.of(
            "io.sysmonstm.local.LocalMain", List.of("--intervall", "5s"), 2, "--intervall"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void stopsWithOneLineNamingTheSetting(
      String mainClass, List<String> args, int exitCode, String setting) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();

    assertThat(exited).as("process exited by itself").isTrue();
    assertThat(p.exitValue()).isEqualTo(exitCode);
    assertThat(lines).as("stderr: %s", stderr).hasSize(1);
    assertThat(lines.get(0)).contains(setting);
  }
}
