package io.sysmonstm.analytics.sink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

/** How the Redis alert sink plugs into a job. */
class AlertSinkRedisTest {

  @Test
  void everyTransitionOfAnAlertReachesTheSameWriter() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(4);
    env.fromData(List.of(Alerts.firing("fp-a", "web-1", 0)), Alerts.TYPE)
        .sinkTo(new RedisAlertSink(URI.create("redis://localhost:6379")))
        .name("alerts-redis");
    StreamGraph graph = env.getStreamGraph();

    StreamNode writer =
        graph.getStreamNodes().stream()
            .filter(n -> n.getOperatorName().contains("alerts-redis"))
            .findFirst()
            .orElseThrow();
    assertThat(writer.getInEdges())
        .extracting(StreamEdge::getPartitioner)
        .singleElement()
        .isInstanceOf(KeyGroupStreamPartitioner.class);
  }
}
