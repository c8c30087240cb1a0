package io.sysmonstm.analytics;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.dedup.SeenBatches;
import io.sysmonstm.analytics.raw.SampleRow;
import io.sysmonstm.analytics.raw.SnapshotRow;
import io.sysmonstm.analytics.raw.SnapshotRows;
import io.sysmonstm.analytics.raw.SnapshotSamples;
import io.sysmonstm.analytics.rollup.HostRollup;
import io.sysmonstm.analytics.rollup.HostRow;
import io.sysmonstm.analytics.rollup.HostRows;
import io.sysmonstm.analytics.rollup.HostWindow;
import io.sysmonstm.analytics.rollup.MinuteAggregate;
import io.sysmonstm.analytics.rollup.MinuteBatch;
import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.rollup.RollupRows;
import io.sysmonstm.analytics.rollup.SeriesStats;
import io.sysmonstm.analytics.sketch.ValueSketch;
import io.sysmonstm.analytics.sketch.ValueSketchSerializer;
import io.sysmonstm.analytics.sketch.ValueSketchTypeInfo;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.HostSnapshotTypeInfo;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type the job keeps in state or sends between operators is serialized without Kryo. */
class StateTypesTest {

  static Stream<Class<?>> types() {
    return Stream.of(
        HostWindow.class,
        MinuteBatch.class,
        HostRollup.class,
        SampleRow.class,
        SnapshotRow.class,
        RollupRow.class,
        HostRow.class,
        SeriesStats.class,
        SeenBatches.class);
  }

  static <T> TypeSerializer<T> serializerWithoutKryo(Class<T> type) {
    return serializerWithoutKryo(TypeInformation.of(type));
  }

  static <T> TypeSerializer<T> serializerWithoutKryo(TypeInformation<T> type) {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    return type.createSerializer(config);
  }

  /** web-1's minute of {@code n} CPU samples, 0, 1/n, 2/n, … */
  static HostRollup cpuMinute(int n) {
    MinuteAggregate agg = new MinuteAggregate();
    HostWindow acc = agg.createAccumulator();
    for (int i = 0; i < n; i++) {
      agg.add(MinuteBatch.of(snap("web-1", T0.plusSeconds(i), sample(CPU, i / (double) n))), acc);
    }
    return acc.toRollup(T0.toEpochMilli());
  }

  @ParameterizedTest
  @MethodSource("types")
  void isAPojoWhoseSerializerNeedsNoGenericTypes(Class<?> type) {
    assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    assertThat(serializerWithoutKryo(type)).isNotNull();
  }

  @Test
  void aSnapshotHasItsOwnSerializerThatRoundTripsAndSharesTheImmutableRecord() throws Exception {
    assertThat(TypeInformation.of(HostSnapshot.class)).isSameAs(HostSnapshotTypeInfo.INSTANCE);
    TypeSerializer<HostSnapshot> serializer = serializerWithoutKryo(HostSnapshot.class);
    HostSnapshot s =
        new HostSnapshot(
            "web-\u00e9",
            "run-1",
            42,
            T0.toEpochMilli(),
            new HostFacts("web \"1\"", "Debian", 8, 1L << 34, "0.1.0"),
            new Sample[] {
              sample(CPU, 0.3), sample(CPU, Map.of("cpu", "1"), -0.0), sample(MEM, 4.9e-324)
            });
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(s, out);
    HostSnapshot back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back).isEqualTo(s).isNotSameAs(s);
    assertThat(Double.doubleToRawLongBits(back.samples()[1].value()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(serializer.copy(s)).isSameAs(s);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(serializer.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
  }

  @Test
  void windowAccumulatorSurvivesARoundTrip() throws Exception {
    MinuteAggregate agg = new MinuteAggregate();
    HostWindow acc = agg.createAccumulator();
    agg.add(
        MinuteBatch.of(snap("web-1", T0, sample(CPU, 0.3), sample(CPU, Map.of("cpu", "1"), 0.4))),
        acc);
    agg.add(MinuteBatch.of(snap("web-1", T0.plusSeconds(5), sample(CPU, 0.5))), acc);
    TypeSerializer<HostWindow> serializer = serializerWithoutKryo(HostWindow.class);

    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(acc, out);
    HostWindow copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(copy).isNotSameAs(acc);
    assertThat(copy.hostId).isEqualTo("web-1");
    assertThat(copy.seq).isEqualTo(acc.seq);
    assertThat(copy.facts).isEqualTo(acc.facts);
    assertThat(copy.firstTs).isEqualTo(T0.toEpochMilli());
    assertThat(copy.lastTs).isEqualTo(T0.plusSeconds(5).toEpochMilli());
    assertThat(copy.series).containsOnlyKeys(CPU, CPU + "{\"cpu\":\"1\"}");
    var cpu = copy.series.get(CPU);
    assertThat(cpu.count).isEqualTo(2);
    assertThat(cpu.sum).isEqualTo(0.3 + 0.5);
    assertThat(cpu.min).isEqualTo(0.3);
    assertThat(cpu.max).isEqualTo(0.5);
    assertThat(cpu.last).isEqualTo(0.5);
    assertThat(cpu.sketch).isNotSameAs(acc.series.get(CPU).sketch);
    assertThat(cpu.sketch.encode()).isEqualTo(acc.series.get(CPU).sketch.encode());
    assertThat(cpu.sketch.count()).isEqualTo(2);
  }

  @Test
  void theSketchHasItsOwnSerializerAndTheHourBucketCarriesItsBytes() throws Exception {
    assertThat(TypeInformation.of(ValueSketch.class)).isSameAs(ValueSketchTypeInfo.INSTANCE);
    HostRollup minute = cpuMinute(100);
    TypeSerializer<HostRollup> serializer = serializerWithoutKryo(HostRollup.class);

    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(minute, out);
    HostRollup copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(copy).isEqualTo(minute);
    assertThat(copy.series()[0].sketch()).isEqualTo(minute.series()[0].sketch());
    assertThat(copy.series()[0].sketch().quantile(0.5))
        .isEqualTo(minute.series()[0].sketch().quantile(0.5));
  }

  /**
   * The rows handed to the sinks are immutable: the functions that build them declare shared types,
   * so a chained sink gets the row itself, serialized (if ever) as the plain type would be.
   */
  @Test
  void rowFunctionsProduceSharedTypesWithThePlainBytes() throws Exception {
    HostRollup minute = cpuMinute(10);
    HostSnapshot s = snap("web-1", T0, sample(CPU, 0.3), sample(MEM, 0.5));
    assertSharedAsPlain(new RollupRows().getProducedType(), RollupRow.class, rowsOf(minute).get(0));
    assertSharedAsPlain(
        new HostRows().getProducedType(), HostRow.class, new HostRows().map(minute));
    assertSharedAsPlain(
        new SnapshotRows().getProducedType(), SnapshotRow.class, SnapshotRows.of(s));
    assertSharedAsPlain(
        new SnapshotSamples().getProducedType(),
        SampleRow.class,
        new SampleRow("web-1", CPU, "{}", T0.toEpochMilli(), 0.3));
    assertSharedAsPlain(SharedInstanceTypeInfo.of(MinuteBatch.class), MinuteBatch.class, null);
  }

  static List<RollupRow> rowsOf(HostRollup r) {
    List<RollupRow> rows = new ArrayList<>();
    new RollupRows().flatMap(r, new ListCollector<>(rows));
    return rows;
  }

  /** {@code shared} copies nothing and writes the bytes and snapshot of {@code plain}. */
  static <T> void assertSharedAsPlain(TypeInformation<T> shared, Class<T> plain, T value)
      throws Exception {
    assertThat(shared).isInstanceOf(SharedInstanceTypeInfo.class);
    TypeSerializer<T> viaShared = serializerWithoutKryo(shared);
    TypeSerializer<T> viaPlain = serializerWithoutKryo(plain);
    assertThat(
            viaShared
                .snapshotConfiguration()
                .resolveSchemaCompatibility(viaPlain.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
    if (value == null) {
      return;
    }
    assertThat(viaShared.copy(value)).isSameAs(value);
    DataOutputSerializer a = new DataOutputSerializer(256);
    viaShared.serialize(value, a);
    DataOutputSerializer b = new DataOutputSerializer(256);
    viaPlain.serialize(value, b);
    assertThat(a.getCopyOfBuffer()).isEqualTo(b.getCopyOfBuffer());
  }

  /**
   * The minute window's output is shared by its chained consumers: same bytes and same serializer
   * snapshot as the POJO serializer (the hour window keeps these rollups in state), no copies.
   */
  @Test
  void aSharedRollupIsSerializedAsThePojoButNeverCopied() throws Exception {
    HostRollup minute = cpuMinute(10);
    TypeSerializer<HostRollup> pojo = serializerWithoutKryo(HostRollup.class);
    TypeSerializer<HostRollup> shared =
        serializerWithoutKryo(new SharedInstanceTypeInfo<>(TypeInformation.of(HostRollup.class)));

    assertThat(shared.copy(minute)).isSameAs(minute);
    assertThat(pojo.copy(minute)).isNotSameAs(minute).isEqualTo(minute);
    DataOutputSerializer viaShared = new DataOutputSerializer(256);
    shared.serialize(minute, viaShared);
    DataOutputSerializer viaPojo = new DataOutputSerializer(256);
    pojo.serialize(minute, viaPojo);
    assertThat(viaShared.getCopyOfBuffer()).isEqualTo(viaPojo.getCopyOfBuffer());
    assertThat(shared.deserialize(new DataInputDeserializer(viaPojo.getCopyOfBuffer())))
        .isEqualTo(minute);

    // state of the hour window (a list of minute rollups) written by the job before this type
    // restores into the job with it, and the other way round
    OperatorSubtaskState pojoState = keep(TypeInformation.of(HostRollup.class), minute, null, 0);
    OperatorSubtaskState sharedState =
        keep(
            new SharedInstanceTypeInfo<>(TypeInformation.of(HostRollup.class)),
            minute,
            pojoState,
            1);
    keep(TypeInformation.of(HostRollup.class), minute, sharedState, 2);
  }

  /**
   * Restores {@code from} (when given) into a keyed operator that keeps its input in a list state
   * of {@code type}, checks that it holds {@code rollup} {@code earlierRuns} times, adds it once
   * more and returns the snapshot.
   */
  static OperatorSubtaskState keep(
      TypeInformation<HostRollup> type,
      HostRollup rollup,
      OperatorSubtaskState from,
      int earlierRuns)
      throws Exception {
    KeyedProcessFunction<String, HostRollup, Integer> keep =
        new KeyedProcessFunction<>() {
          @Override
          public void processElement(HostRollup r, Context ctx, Collector<Integer> out)
              throws Exception {
            ListState<HostRollup> kept =
                getRuntimeContext().getListState(new ListStateDescriptor<>("kept", type));
            int n = 0;
            for (HostRollup old : kept.get()) {
              assertThat(old).isEqualTo(r);
              n++;
            }
            kept.add(r);
            out.collect(n);
          }
        };
    try (KeyedOneInputStreamOperatorTestHarness<String, HostRollup, Integer> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(keep), HostRollup::hostId, Types.STRING)) {
      h.setup();
      if (from != null) {
        h.initializeState(from);
      }
      h.open();
      h.processElement(rollup, 0);
      assertThat(h.extractOutputValues()).containsExactly(earlierRuns);
      return h.snapshot(1, 1);
    }
  }

  @Test
  void aSketchSurvivesTheSerializerAndItsSnapshotRestoresTheSameSerializer() throws Exception {
    ValueSketch sketch = new ValueSketch();
    for (double v : new double[] {0, 0.25, 0.5, 3e9, -2}) {
      sketch.add(v);
    }
    DataOutputSerializer out = new DataOutputSerializer(64);
    ValueSketchSerializer.INSTANCE.serialize(sketch, out);
    ValueSketch copy =
        ValueSketchSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(copy.encode()).isEqualTo(sketch.encode());
    assertThat(copy.count()).isEqualTo(5);
    assertThat(ValueSketchSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
        .isSameAs(ValueSketchSerializer.INSTANCE);
  }

  @Test
  void seenBatchesSurviveARoundTrip() throws Exception {
    SeenBatches seen = new SeenBatches();
    seen.accept(1, 1_000);
    seen.accept(3, 3_000);
    seen.accept(4, 4_000);
    TypeSerializer<SeenBatches> serializer = serializerWithoutKryo(SeenBatches.class);

    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(seen, out);
    SeenBatches copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(copy.toString()).isEqualTo(seen.toString());
    assertThat(copy.accept(3, 3_000)).isEqualTo(SeenBatches.Verdict.DUPLICATE);
    assertThat(copy.accept(2, 2_000)).isEqualTo(SeenBatches.Verdict.NEW);
  }

  @Test
  void snapshotRowSurvivesARoundTrip() throws Exception {
    SnapshotRow row =
        SnapshotRows.of(snap("web-1", T0, sample(CPU, 0.3), sample(CPU, Map.of("cpu", "1"), -0.0)));
    TypeSerializer<SnapshotRow> serializer = serializerWithoutKryo(SnapshotRow.class);

    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(row, out);

    assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(row);
  }

  @Test
  void snapshotSurvivesARoundTrip() throws Exception {
    HostSnapshot s = snap("web-1", T0, sample(CPU, 0.3), sample(CPU, Map.of("cpu", "1"), 0.4));
    TypeSerializer<HostSnapshot> serializer = serializerWithoutKryo(HostSnapshot.class);

    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(s, out);

    assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(s);
  }
}
