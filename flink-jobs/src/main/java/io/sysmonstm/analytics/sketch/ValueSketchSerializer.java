package io.sysmonstm.analytics.sketch;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a {@link ValueSketch} in its compact state form ({@link ValueSketch#writeTo}). The
 * sketch stays a live object between records on the heap state backend, so adding a value costs an
 * array increment; only checkpoints and RocksDB accesses serialize it.
 */
public final class ValueSketchSerializer extends TypeSerializerSingleton<ValueSketch> {
  private static final long serialVersionUID = 1L;

  public static final ValueSketchSerializer INSTANCE = new ValueSketchSerializer();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public ValueSketch createInstance() {
    return new ValueSketch();
  }

  @Override
  public ValueSketch copy(ValueSketch from) {
    return from.copy();
  }

  @Override
  public ValueSketch copy(ValueSketch from, ValueSketch reuse) {
    return from.copy();
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ValueSketch record, DataOutputView target) throws IOException {
    record.writeTo(target);
  }

  @Override
  public ValueSketch deserialize(DataInputView source) throws IOException {
    return ValueSketch.readFrom(source);
  }

  @Override
  public ValueSketch deserialize(ValueSketch reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    ValueSketch.readFrom(source).writeTo(target);
  }

  @Override
  public TypeSerializerSnapshot<ValueSketch> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Serializer snapshot for savepoint compatibility (the format has one version so far). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ValueSketch> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
