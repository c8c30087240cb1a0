package io.sysmonstm.analytics.snapshot;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink's type extraction to serialize {@link HostSnapshot} with its own serializer. */
public final class HostSnapshotTypeInfoFactory extends TypeInfoFactory<HostSnapshot> {

  @Override
  public TypeInformation<HostSnapshot> createTypeInfo(
      Type t, Map<String, TypeInformation<?>> genericParameters) {
    return HostSnapshotTypeInfo.INSTANCE;
  }
}
