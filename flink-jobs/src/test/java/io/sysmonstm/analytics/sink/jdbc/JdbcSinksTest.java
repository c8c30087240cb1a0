package io.sysmonstm.analytics.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcSinksTest {
  @Test
  void theSinkUrlGetsMultiRowInsertsAndASocketTimeout() {
    assertThat(JdbcSinks.sinkUrl("jdbc:postgresql://db:5432/sysmonstm"))
        .isEqualTo(
            "jdbc:postgresql://db:5432/sysmonstm?reWriteBatchedInserts=true&socketTimeout=300");
    assertThat(JdbcSinks.sinkUrl("jdbc:postgresql://db/sysmonstm?sslmode=require"))
        .isEqualTo(
            "jdbc:postgresql://db/sysmonstm?sslmode=require&reWriteBatchedInserts=true"
                + "&socketTimeout=300");
  }

  @Test
  void whatTheUrlSetsStays() {
    assertThat(
            JdbcSinks.sinkUrl(
                "jdbc:postgresql://db/sysmonstm?socketTimeout=30&reWriteBatchedInserts=false"))
        .isEqualTo("jdbc:postgresql://db/sysmonstm?socketTimeout=30&reWriteBatchedInserts=false");
    // a parameter whose name merely ends the same is not the same parameter
    assertThat(JdbcSinks.sinkUrl("jdbc:postgresql://db/s?loginTimeout=5&tcpKeepAlive=true"))
        .isEqualTo(
            "jdbc:postgresql://db/s?loginTimeout=5&tcpKeepAlive=true"
                + "&reWriteBatchedInserts=true&socketTimeout=300");
  }
}
