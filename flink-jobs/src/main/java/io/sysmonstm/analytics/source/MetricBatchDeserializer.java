package io.sysmonstm.analytics.source;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.proto.v1.MetricBatch;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code MetricBatch} bytes from the samples topic and emits one {@link HostSnapshot} per
 * snapshot. A record that cannot be used is counted ({@code malformedRecords}) and skipped with at
 * most one warning a minute: a poison record must not stop the job.
 */
public final class MetricBatchDeserializer
    implements KafkaRecordDeserializationSchema<HostSnapshot> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MetricBatchDeserializer.class);

  private transient Counter malformedRecords;
  private transient Counter invalidSamples;
  private transient LogThrottle skipWarnings;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    malformedRecords = context.getMetricGroup().counter("malformedRecords");
    invalidSamples = context.getMetricGroup().counter("invalidSamples");
    skipWarnings = LogThrottle.everyMinute();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<HostSnapshot> out) {
    ensureCounters();
    SnapshotMapper.Mapped mapped;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("record without value");
      }
      mapped = SnapshotMapper.map(MetricBatch.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      skip(
          record,
          e instanceof InvalidProtocolBufferException ? "not a MetricBatch" : e.getMessage());
      return;
    }
    if (mapped.droppedSamples() > 0) {
      invalidSamples.inc(mapped.droppedSamples());
    }
    mapped.snapshots().forEach(out::collect);
  }

  private void skip(ConsumerRecord<byte[], byte[]> record, String reason) {
    malformedRecords.inc();
    skipWarnings.count();
    if (skipWarnings.due()) {
      LOG.warn(
          "Skipping malformed record {}-{}@{} ({}); {} skipped since the last warning, continuing",
          record.topic(),
          record.partition(),
          record.offset(),
          reason,
          skipWarnings.takeCount());
    }
  }

  private void ensureCounters() {
    if (malformedRecords == null) {
      malformedRecords = new SimpleCounter();
      invalidSamples = new SimpleCounter();
      skipWarnings = LogThrottle.everyMinute();
    }
  }

  /** Records skipped so far by this instance. */
  long malformedCount() {
    return malformedRecords == null ? 0 : malformedRecords.getCount();
  }

  /** Samples dropped so far by this instance. */
  long invalidSampleCount() {
    return invalidSamples == null ? 0 : invalidSamples.getCount();
  }

  @Override
  public TypeInformation<HostSnapshot> getProducedType() {
    return TypeInformation.of(HostSnapshot.class);
  }
}
