package io.sysmonstm.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

  @Test
  void takesTheUrlApart() {
    assertThat(JdbcUrl.parse("jdbc:postgresql://db.example:6543/metrics?sslmode=require&x=1"))
        .contains(
            new JdbcUrl("db.example", 6543, "metrics", Map.of("sslmode", "require", "x", "1")));
  }

  @Test
  void defaultPortIs5432() {
    assertThat(JdbcUrl.parse("jdbc:postgresql://localhost/sysmonstm").orElseThrow().port())
        .isEqualTo(5432);
  }

  @Test
  void refusesWhatIsNotAPostgresqlJdbcUrl() {
    assertThat(JdbcUrl.parse("postgres://localhost/x")).isEmpty();
    assertThat(JdbcUrl.parse("jdbc:mysql://localhost/x")).isEmpty();
    assertThat(JdbcUrl.parse("jdbc:postgresql://localhost/")).isEmpty();
    assertThat(JdbcUrl.parse("jdbc:postgresql:///x")).isEmpty();
    assertThat(JdbcUrl.parse(null)).isEmpty();
  }
}
