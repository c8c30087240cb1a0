package io.sysmonstm.bench.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small client of Flink's REST API (the one behind the web UI): job vertices, their aggregated
 * subtask metrics, back-pressure and checkpoint statistics.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http;

  /** A job vertex (a chain of operators running as one task). */
  public record Vertex(String id, String name, int parallelism) {
    public Vertex {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
    }
  }

  public FlinkRest(URI base) {
    this.base = Objects.requireNonNull(base, "base");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  public URI base() {
    return base;
  }

  /** GET {@code path} (relative to the REST root) as JSON. */
  public JsonNode get(String path) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during GET " + path, e);
    }
    if (resp.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + resp.statusCode());
    }
    return JSON.readTree(resp.body());
  }

  /** The vertices of job {@code jobId}, in topological order. */
  public List<Vertex> vertices(String jobId) throws IOException {
    List<Vertex> out = new ArrayList<>();
    for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
      out.add(
          new Vertex(
              v.path("id").asText(), v.path("name").asText(), v.path("parallelism").asInt()));
    }
    return out;
  }

  /** Names of the metrics a vertex's subtasks report (aggregatable across subtasks). */
  public List<String> metricNames(String jobId, String vertexId) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode m : get("jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
      out.add(m.path("id").asText());
    }
    return out;
  }

  /**
   * Metric values aggregated over a vertex's subtasks with {@code agg} ({@code sum}, {@code avg},
   * {@code max}); metrics not (yet) reported are absent.
   */
  public Map<String, Double> metrics(String jobId, String vertexId, List<String> names, String agg)
      throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return out;
    }
    String get =
        URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8).replace("+", "%20");
    JsonNode arr =
        get(
            "jobs/"
                + jobId
                + "/vertices/"
                + vertexId
                + "/subtasks/metrics?get="
                + get
                + "&agg="
                + agg);
    for (JsonNode m : arr) {
      JsonNode v = m.path(agg);
      if (v.isNumber()) {
        out.put(m.path("id").asText(), v.asDouble());
      }
    }
    return out;
  }

  /** The job's checkpoint statistics ({@code /jobs/:id/checkpoints}). */
  public JsonNode checkpoints(String jobId) throws IOException {
    return get("jobs/" + jobId + "/checkpoints");
  }

  /** The first metric whose name ends with {@code suffix}, among {@code names}. */
  public static Optional<String> find(List<String> names, String suffix) {
    return names.stream().filter(n -> n.endsWith(suffix)).findFirst();
  }
}
