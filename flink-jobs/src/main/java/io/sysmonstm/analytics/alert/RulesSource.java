package io.sysmonstm.analytics.alert;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The rule changes of the compacted topic {@code sysmonstm.rules} (key rule id, value rule JSON,
 * tombstone on deletion), read from the beginning on a fresh start and from the checkpointed
 * offsets on a restore, so the broadcast state always matches the topic.
 */
public final class RulesSource {

  private RulesSource() {}

  public static KafkaSource<RuleUpdate> create(String bootstrap, String topic, String groupId) {
    return KafkaSource.<RuleUpdate>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(topic)
        .setGroupId(groupId)
        .setClientIdPrefix(groupId)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new Deserializer())
        .setProperty("partition.discovery.interval.ms", "60000")
        .build();
  }

  /**
   * Rule changes carry no event time: the rules input must never hold back the watermark of the
   * samples it is connected with, so it declares itself done with event time at once.
   */
  public static WatermarkStrategy<RuleUpdate> watermarks() {
    return WatermarkStrategy.forGenerator(ctx -> new AtEnd());
  }

  static final class AtEnd implements WatermarkGenerator<RuleUpdate> {
    @Override
    public void onEvent(RuleUpdate event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
  }

  static final class Deserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
      if (record.key() == null) {
        return; // not a rule record; the relay always keys by rule id
      }
      String id = new String(record.key(), StandardCharsets.UTF_8);
      String json =
          record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
      out.collect(new RuleUpdate(id, json));
    }

    @Override
    public TypeInformation<RuleUpdate> getProducedType() {
      return TypeInformation.of(RuleUpdate.class);
    }
  }
}
