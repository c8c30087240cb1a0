package io.sysmonstm.analytics.live;

import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.cpu;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NewestSnapshotFilterTest {
  static final Duration TTL = Duration.ofMinutes(5);
  KeyedOneInputStreamOperatorTestHarness<String, HostSnapshot, HostSnapshot> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new NewestSnapshotFilter(TTL), HostSnapshot::hostId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void send(HostSnapshot s) throws Exception {
    harness.processElement(s, s.timestampMs());
  }

  @Test
  void passesNewerSnapshotsAndDropsOlderOrRepeatedOnesPerHost() throws Exception {
    HostSnapshot web1At10 = cpu("web-1", T0.plusSeconds(10), 0.1);
    HostSnapshot web1At20 = cpu("web-1", T0.plusSeconds(20), 0.2);
    HostSnapshot web1LateAt15 = cpu("web-1", T0.plusSeconds(15), 0.9);
    HostSnapshot web1AgainAt20 = cpu("web-1", T0.plusSeconds(20), 0.8);
    HostSnapshot web2At5 = cpu("web-2", T0.plusSeconds(5), 0.5);
    HostSnapshot web1At30 = cpu("web-1", T0.plusSeconds(30), 0.3);

    send(web1At10);
    send(web1At20);
    send(web1LateAt15);
    send(web1AgainAt20);
    send(web2At5);
    send(web1At30);

    assertThat(harness.extractOutputValues())
        .containsExactly(web1At10, web1At20, web2At5, web1At30);
  }

  @Test
  void forgetsAHostAfterTheTtlWithoutSnapshots() throws Exception {
    harness.setStateTtlProcessingTime(0);
    send(cpu("web-1", T0.plusSeconds(20), 0.2));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    HostSnapshot older = cpu("web-1", T0.plusSeconds(10), 0.1);
    send(older);

    assertThat(harness.extractOutputValues()).last().isEqualTo(older);
  }
}
