package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's core, small: 20 hosts × 5 series × 3 minutes preloaded into an embedded Kafka,
 * the real job on a mini-cluster, rows counted in an embedded PostgreSQL, after a warm-up run of 1
 * minute of another fleet against the same servers. Checks that the report's counts are exact and
 * its measurements present; it sets no timing thresholds (the figures belong to the benchmark runs
 * in the README, not to a test).
 */
class JobBenchmarkIT {

  @Test
  void aSmallPreloadedFleetIsReadCompletelyAndEveryRollupRowLandsInPostgres() throws Exception {
    BenchConfig cfg =
        BenchConfig.from(
            Settings.parse(
                new String[] {
                  "--hosts", "20",
                  "--series", "5",
                  "--duration", "3m",
                  "--warmup-drain", "1m",
                  "--mode", "preload",
                  "--partitions", "2",
                  "--parallelism", "2",
                  "--checkpoint-interval", "1s",
                  "--timeout", "2m"
                },
                Map.of()));

    BenchReport report = JobBenchmark.run(cfg);

    long perHost =
        BenchRun.ticks(Duration.ofMinutes(3), Duration.ofSeconds(5), Duration.ofSeconds(1));
    long snapshots = 20 * perHost;
    assertThat(report.outcome().complete()).as(report.toText()).isTrue();
    assertThat(report.outcome().countsExact()).as(report.toText()).isTrue();
    assertThat(report.setup().snapshotsPerHost()).isEqualTo(perHost);
    assertThat(report.production().snapshots()).isEqualTo(snapshots);
    assertThat(report.consumption().snapshots()).isEqualTo(snapshots);
    assertThat(report.consumption().samples()).isEqualTo(snapshots * 5);
    assertThat(report.consumption().committedSnapshots())
        .as("offsets committed on the checkpoint after the drain")
        .isEqualTo(snapshots);
    assertThat(report.rows().minutesClosed()).isEqualTo(3);
    assertThat(report.rows().rollup1m())
        .isEqualTo(20L * 5 * 3)
        .isEqualTo(report.rows().rollup1mExpected());
    assertThat(report.rows().samples()).isEqualTo(snapshots * 5);
    assertThat(report.rows().allRowsSeconds()).isPositive();

    assertThat(report.consumption().samplesPerSecond()).isPositive();
    assertThat(report.checkpoints().completed()).isPositive();
    assertThat(report.checkpoints().maxMs()).isPositive();
    assertThat(report.checkpoints().lastStateBytes()).isPositive();
    assertThat(report.resources().jvmCores()).isPositive();
    assertThat(report.resources().heapMaxUsedBytes()).isPositive();
    assertThat(report.resources().childProcesses())
        .extracting(ResourceMeter.CpuShare::name)
        .contains("postgres");
    assertThat(report.vertices())
        .extracting(BenchReport.VertexLoad::name)
        .anySatisfy(n -> assertThat(n).startsWith("Source: snapshots"))
        .anySatisfy(n -> assertThat(n).contains("rollup-1m"));
    assertThat(report.lag()).as("no lag figures in preload mode").isNull();
    assertThat(report.live().usedBytes()).as("the fleet's live values are in Redis").isPositive();
    assertThat(report.live().maxBytes())
        .as("the embedded Redis is sized for the fleet")
        .isEqualTo(BenchServers.redisMemoryMb(cfg) << 20);
    assertThat(report.live().evictedKeys()).isZero();

    long warmupSnapshots =
        20 * BenchRun.ticks(Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(1));
    assertThat(report.warmup()).as(report.toText()).isNotNull();
    assertThat(report.warmup().countsExact()).isTrue();
    assertThat(report.warmup().snapshots()).isEqualTo(warmupSnapshots);
    assertThat(report.warmup().samplesPerSecond()).isPositive();
    assertThat(report.warmup().tag())
        .as("the warm-up fleet is apart from the measured one")
        .isNotEqualTo(report.setup().tag());
    assertThat(report.toText())
        .contains("warm-up      first the same job drained 1m of a separate fleet");

    assertThat(report.toText())
        .contains("Consumed", "Checkpoints", "counts exact", "0 keys evicted during the run");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("rows").path("rollup1m").asLong()).isEqualTo(300);
    assertThat(json.path("outcome").path("complete").asBoolean()).isTrue();
    assertThat(json.path("warmup").path("snapshots").asLong()).isEqualTo(warmupSnapshots);
  }
}
