package io.sysmonstm.analytics.sketch;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink's type extraction to serialize {@link ValueSketch} with its own serializer. */
public final class ValueSketchTypeInfoFactory extends TypeInfoFactory<ValueSketch> {

  @Override
  public TypeInformation<ValueSketch> createTypeInfo(
      Type t, Map<String, TypeInformation<?>> genericParameters) {
    return ValueSketchTypeInfo.INSTANCE;
  }
}
