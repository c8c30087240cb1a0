package io.sysmonstm.analytics.dedup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DropResentSnapshotsTest {
  static final Duration TTL = Duration.ofHours(2);
  KeyedOneInputStreamOperatorTestHarness<String, HostSnapshot, HostSnapshot> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DropResentSnapshots(TTL), HostSnapshot::hostId, Types.STRING);
    harness.setStateTtlProcessingTime(0);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** The snapshots of batch {@code seq} of {@code host}'s run {@code run}: one per 10 s. */
  static List<HostSnapshot> batch(String host, String run, long seq, int snapshots) {
    List<HostSnapshot> out = new ArrayList<>();
    for (int i = 0; i < snapshots; i++) {
      long ts = T0.toEpochMilli() + (seq * snapshots + i) * 10_000;
      out.add(new HostSnapshot(host, run, seq, ts, facts(host), new Sample[] {sample(CPU, 0.5)}));
    }
    return out;
  }

  void send(List<HostSnapshot> snapshots) throws Exception {
    for (HostSnapshot s : snapshots) {
      harness.processElement(s, s.timestampMs());
    }
  }

  @Test
  void dropsResentBatchesPerHostAndRunAndCountsThem() throws Exception {
    List<HostSnapshot> web1b1 = batch("web-1", "r1", 1, 3);
    List<HostSnapshot> web1b2 = batch("web-1", "r1", 2, 3);
    List<HostSnapshot> web2b1 = batch("web-2", "r1", 1, 3);
    List<HostSnapshot> web1NewRun = batch("web-1", "r2", 1, 3);

    send(web1b1);
    send(web1b1); // resent at once
    send(web2b1); // same run id and seq, other host: new
    send(web1b2);
    send(web1b1); // resent later
    send(web1NewRun); // the collector restarted: seq starts again under a new run id

    List<HostSnapshot> expected = new ArrayList<>(web1b1);
    expected.addAll(web2b1);
    expected.addAll(web1b2);
    expected.addAll(web1NewRun);
    assertThat(harness.extractOutputValues()).containsExactlyElementsOf(expected);
    assertThat(harness.extractOutputValues()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void forgetsARunAfterTheTtlSinceItsLastNewSnapshot() throws Exception {
    List<HostSnapshot> b1 = batch("web-1", "r1", 1, 2);
    send(b1);
    send(batch("web-1", "r1", 2, 2));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
    send(b1);
    assertThat(harness.extractOutputValues()).as("still remembered").hasSize(4);

    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    send(b1);
    assertThat(harness.extractOutputValues()).as("forgotten after the TTL").hasSize(6);
  }

  /**
   * Measures the state of one collector run: 10,000 batches of 5 snapshots, 1 in 50 sent again a
   * few batches later and 1 in 200 overtaken by the next one. The entry stays a few dozen bytes,
   * whatever the length of the run.
   */
  @Test
  void theStateOfARunStaysAFewDozenBytes() throws Exception {
    SeenBatches seen = new SeenBatches();
    long passed = 0;
    for (long seq = 0; seq < 10_000; seq++) {
      long s = seq % 200 == 10 ? seq + 1 : seq % 200 == 11 ? seq - 1 : seq;
      for (int i = 0; i < 5; i++) {
        if (seen.accept(s, s * 50 + i) != SeenBatches.Verdict.DUPLICATE) {
          passed++;
        }
      }
      if (seq % 50 == 0 && seq >= 3) {
        long resent = seq - 3;
        for (int i = 0; i < 5; i++) {
          assertThat(seen.accept(resent, resent * 50 + i)).isEqualTo(SeenBatches.Verdict.DUPLICATE);
        }
      }
    }
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    TypeSerializer<SeenBatches> serializer =
        TypeInformation.of(SeenBatches.class).createSerializer(config);
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(seen, out);

    assertThat(passed).isEqualTo(50_000);
    assertThat(seen.rangeCount()).isEqualTo(1);
    // measured: 2 ranges longs + open seq + 5 timestamps + POJO framing
    assertThat(out.length()).isLessThanOrEqualTo(96);
    System.out.printf(
        "dedup state of one run after 10,000 batches: %d bytes (%s)%n", out.length(), seen);
  }
}
