package io.sysmonstm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {
  record Demo(Duration interval, int retries, String token) {}

  static final Setting<Duration> INTERVAL =
      Setting.duration("interval")
          .defaultValue(Duration.ofSeconds(5))
          .atLeast(Duration.ofSeconds(1))
          .doc("time between samples");
  static final Setting<Integer> RETRIES =
      Setting.integer("retries").defaultValue(3).between(0, 10).doc("attempts after the first");
  static final Setting<String> TOKEN =
      Setting.string("token").secret().shownDefault("(none)").doc("bearer token").group("Security");

  static final ServiceSettings<Demo> SETTINGS =
      ServiceSettings.of(
          "demo",
          "java -jar demo.jar",
          s -> new Demo(INTERVAL.get(s), RETRIES.get(s), TOKEN.optional(s).orElse("")),
          INTERVAL,
          RETRIES,
          TOKEN);

  @Test
  void checkReadsACommandLineWithoutStartingAnything() {
    assertThat(SETTINGS.check("--interval", "2s", "--token=t"))
        .isEqualTo(new Demo(Duration.ofSeconds(2), 3, "t"));
    assertThatThrownBy(() -> SETTINGS.check("--retries", "11"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid setting --retries (SYSMONSTM_RETRIES): must be between 0 and 10, got 11");
    assertThatThrownBy(() -> SETTINGS.check("--retry", "1"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown setting --retry; known settings: --interval, --retries, --token");
  }

  @Test
  void aDisagreementWithAFileOfTheRepositoryNamesTheProblemAndGivesTheTableToPaste() {
    assertThat(ConfigurationTable.disagreement("README.md", "No such heading", SETTINGS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith(
                        "README.md 'No such heading' disagrees with the settings of demo:\n"
                            + "  no heading 'No such heading'\n"
                            + "The table(s) to paste:\n")
                    .endsWith(ConfigurationTable.markdown(SETTINGS)));
  }

  @Test
  void aServiceThatDoesNotReadADeclaredSettingFailsItsFirstCheck() {
    ServiceSettings<Duration> partial =
        ServiceSettings.of("partial", "java -jar p.jar", INTERVAL::get, INTERVAL, RETRIES);
    assertThatThrownBy(() -> partial.check("--interval", "2s"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("partial declares the settings [interval, retries] but reads [interval]");
  }

  @Test
  void theLauncherAnswersHelpOnStandardOutputWithoutStartingTheService() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Launcher.run(
          new String[] {"--retries", "99", "--help"},
          SETTINGS,
          (cfg, s) -> {
            throw new AssertionError("started with " + cfg);
          });
    } finally {
      System.setOut(out);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(SETTINGS.help());
  }

  @Test
  void helpListsEverySettingWithVariableDefaultAndMeaning() {
    assertThat(ServiceSettings.helpRequested(new String[] {"--port", "1", "-h"})).isTrue();
    assertThat(ServiceSettings.helpRequested(new String[] {"--port", "1"})).isFalse();
    assertThat(SETTINGS.help())
        .startsWith("Usage: java -jar demo.jar")
        .contains(
            "Settings:\n"
                + "  --interval  (SYSMONSTM_INTERVAL)  default 5s\n"
                + "      time between samples, at least 1s\n")
        .contains("Security:\n  --token  (SYSMONSTM_TOKEN)  default (none)\n      bearer token\n");
  }

  @Test
  void theTableComesFromTheDescriptorsAndTheCheckNamesTheRowThatDisagrees() {
    String table = ConfigurationTable.markdown(SETTINGS);
    assertThat(table)
        .isEqualTo(
            "| flag | variable | default | meaning |\n"
                + "|---|---|---|---|\n"
                + "| `--interval` | `SYSMONSTM_INTERVAL` | `5s` | time between samples, at least `1s` |\n"
                + "| `--retries` | `SYSMONSTM_RETRIES` | `3` | attempts after the first, `0` to `10` |\n"
                + "\n"
                + "Security:\n\n"
                + "| flag | variable | default | meaning |\n"
                + "|---|---|---|---|\n"
                + "| `--token` | `SYSMONSTM_TOKEN` | (none) | bearer token |\n");
    String readme = "# Demo\n\n## Settings\n\n" + table + "\n## Next\n";
    assertThat(ConfigurationTable.differences(readme, "Settings", SETTINGS)).isEmpty();

    String wrong =
        readme
            .replace("`5s`", "`10s`")
            .replace("| attempts after the first, `0` to `10` |", "| attempts |")
            .replace("SYSMONSTM_TOKEN", "SYSMONSTM_TOKN")
            .replace(
                "| bearer token |\n",
                "| bearer token |\n| `--gone` | `SYSMONSTM_GONE` | `1` | removed |\n");
    assertThat(ConfigurationTable.differences(wrong, "Settings", SETTINGS))
        .containsExactly(
            "row `--interval`: default is '`10s`', the descriptor says '`5s`'",
            "row `--retries`: meaning is 'attempts', the descriptor says 'attempts after the first,"
                + " `0` to `10`'",
            "row `--token`: variable is '`SYSMONSTM_TOKN`', the descriptor says '`SYSMONSTM_TOKEN`'",
            "extra row `--gone`: demo has no such setting");
    assertThat(
            ConfigurationTable.differences(readme + "\n### Settings, old\n", "Settings", SETTINGS))
        .containsExactly("2 headings start with 'Settings'; name one of them");
    assertThat(
            ConfigurationTable.differences(
                readme.replace("| `--retries` |", "| `--retry` |"), "Settings", SETTINGS))
        .contains("missing row `--retries` (" + ConfigurationTable.row(RETRIES) + ")");
  }
}
