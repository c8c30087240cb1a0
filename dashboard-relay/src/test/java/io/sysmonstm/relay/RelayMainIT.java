package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.embedded.PostgresExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code RelayMain} as a person runs it: a separate JVM, its exit code and its stderr. */
class RelayMainIT {
  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @TempDir Path tmp;

  private record Run(int exit, String stderr) {}

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RelayMain.class.getName());
    cmd.addAll(List.of(args));
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("SYSMONSTM_"));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("relay did not exit: " + String.join(" ", args));
    }
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8).strip());
  }

  @Test
  void aMalformedUrlEndsTheProcessWithOneLineAndExit2() throws Exception {
    Run r = run("--redis-url", "localhost:6379");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "dashboard-relay: invalid setting --redis-url (SYSMONSTM_REDIS_URL):"
                + " 'localhost:6379' is not a URL like redis://host:port");

    Run jdbc = run("--jdbc-url", "postgres://localhost/sysmonstm");
    assertThat(jdbc.exit()).isEqualTo(2);
    assertThat(jdbc.stderr())
        .startsWith("dashboard-relay: invalid setting --jdbc-url")
        .doesNotContain("\n");

    Run typo = run("--prot", "8080");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.stderr()).startsWith("dashboard-relay: unknown setting --prot");
  }

  @Test
  void aTakenPortEndsTheProcessWithOneLineNamingTheSetting() throws Exception {
    String jdbcUrl = POSTGRES.newDatabase("relay");
    try (EmbeddedRedis redis = EmbeddedRedis.start();
        ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      Run r =
          run(
              "--port", String.valueOf(port),
              "--redis-url", redis.url(),
              "--jdbc-url", jdbcUrl);
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.stderr())
          .isEqualTo(
              "dashboard-relay: port "
                  + port
                  + " is in use (set --port / SYSMONSTM_PORT to move it)");
    }
  }
}
