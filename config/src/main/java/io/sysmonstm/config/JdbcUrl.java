package io.sysmonstm.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL JDBC URL taken apart: {@code jdbc:postgresql://host[:port]/database[?k=v&...]}.
 *
 * @param host server host
 * @param port server port (5432 when the URL has none)
 * @param database database name
 * @param params query parameters, in order
 */
public record JdbcUrl(String host, int port, String database, Map<String, String> params) {

  public JdbcUrl {
    params = Map.copyOf(params);
  }

  /** Parses {@code url}; empty when it is not a PostgreSQL JDBC URL with a host and a database. */
  public static Optional<JdbcUrl> parse(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      return Optional.empty();
    }
    URI u;
    try {
      u = new URI(url.substring(5));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (!"postgresql".equals(u.getScheme())
        || u.getHost() == null
        || u.getPath() == null
        || u.getPath().length() < 2) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (u.getQuery() != null) {
      for (String pair : u.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return Optional.of(
        new JdbcUrl(
            u.getHost(), u.getPort() > 0 ? u.getPort() : 5432, u.getPath().substring(1), params));
  }
}
