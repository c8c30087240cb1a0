package io.sysmonstm.analytics.sketch;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link ValueSketch}: an atomic type with {@link ValueSketchSerializer}. */
public final class ValueSketchTypeInfo extends TypeInformation<ValueSketch> {
  private static final long serialVersionUID = 1L;

  public static final ValueSketchTypeInfo INSTANCE = new ValueSketchTypeInfo();

  private ValueSketchTypeInfo() {}

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<ValueSketch> getTypeClass() {
    return ValueSketch.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<ValueSketch> createSerializer(SerializerConfig config) {
    return ValueSketchSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "ValueSketch";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof ValueSketchTypeInfo;
  }

  @Override
  public int hashCode() {
    return ValueSketchTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof ValueSketchTypeInfo;
  }
}
