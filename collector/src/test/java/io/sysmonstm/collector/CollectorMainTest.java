package io.sysmonstm.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad configuration ends the real process at once: exit 2 and one line naming the setting. */
class CollectorMainTest {
  @ParameterizedTest
  @CsvSource({
    "--interval 0, collector: invalid setting --interval (SYSMONSTM_INTERVAL): must be at least 1s",
    "--ingress localhost, collector: invalid setting --ingress (SYSMONSTM_INGRESS): 'localhost' is not host:port",
  })
  void badConfigurationExitsWithOneLineNamingTheSetting(String args, String line) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // a quick JVM: these processes must end before they do any real work
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CollectorMain.class.getName());
    cmd.addAll(List.of(args.split(" ")));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.to(new File(nullDevice())))
            .start();

    boolean exited = p.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(exited).as("nothing hangs").isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().toList()).singleElement().asString().startsWith(line);
  }

  @Test
  void helpPrintsEverySettingAndExitsZero() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(CollectorMain.class.getName(), "--interval", "0", "--help"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("nothing hangs").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(stdout).isEqualTo(CollectorConfig.SETTINGS.help()).contains("--buffer-batches");
  }

  private static String nullDevice() {
    return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
  }
}
