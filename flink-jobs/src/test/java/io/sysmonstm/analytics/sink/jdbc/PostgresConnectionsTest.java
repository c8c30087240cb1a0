package io.sysmonstm.analytics.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresConnectionsTest {
  @Test
  void theBatchedUrlGetsMultiRowInsertsAndASocketTimeout() {
    assertThat(PostgresConnections.batchedUrl("jdbc:postgresql://db:5432/sysmonstm"))
        .isEqualTo(
            "jdbc:postgresql://db:5432/sysmonstm?reWriteBatchedInserts=true&socketTimeout=300");
    assertThat(PostgresConnections.batchedUrl("jdbc:postgresql://db/sysmonstm?sslmode=require"))
        .isEqualTo(
            "jdbc:postgresql://db/sysmonstm?sslmode=require&reWriteBatchedInserts=true"
                + "&socketTimeout=300");
  }

  @Test
  void thePlainUrlGetsOnlyTheSocketTimeout() {
    assertThat(PostgresConnections.url("jdbc:postgresql://db:5432/sysmonstm"))
        .isEqualTo("jdbc:postgresql://db:5432/sysmonstm?socketTimeout=300");
    assertThat(PostgresConnections.url("jdbc:postgresql://db/s?socketTimeout=7"))
        .isEqualTo("jdbc:postgresql://db/s?socketTimeout=7");
  }

  @Test
  void whatTheUrlSetsStays() {
    assertThat(
            PostgresConnections.batchedUrl(
                "jdbc:postgresql://db/sysmonstm?socketTimeout=30&reWriteBatchedInserts=false"))
        .isEqualTo("jdbc:postgresql://db/sysmonstm?socketTimeout=30&reWriteBatchedInserts=false");
    // a parameter whose name merely ends the same is not the same parameter
    assertThat(
            PostgresConnections.batchedUrl(
                "jdbc:postgresql://db/s?loginTimeout=5&tcpKeepAlive=true"))
        .isEqualTo(
            "jdbc:postgresql://db/s?loginTimeout=5&tcpKeepAlive=true"
                + "&reWriteBatchedInserts=true&socketTimeout=300");
  }
}
