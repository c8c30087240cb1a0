package io.sysmonstm.analytics.snapshot;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link HostSnapshot}: an atomic type with {@link HostSnapshotSerializer}. */
public final class HostSnapshotTypeInfo extends TypeInformation<HostSnapshot> {
  private static final long serialVersionUID = 1L;

  public static final HostSnapshotTypeInfo INSTANCE = new HostSnapshotTypeInfo();

  private HostSnapshotTypeInfo() {}

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
  public Class<HostSnapshot> getTypeClass() {
    return HostSnapshot.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<HostSnapshot> createSerializer(SerializerConfig config) {
    return HostSnapshotSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "HostSnapshot";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof HostSnapshotTypeInfo;
  }

  @Override
  public int hashCode() {
    return HostSnapshotTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof HostSnapshotTypeInfo;
  }
}
