package io.sysmonstm.analytics.snapshot;

import io.sysmonstm.analytics.typeinfo.AtomicTypeInfo;

/** Type information of {@link HostSnapshot}: an atomic type with {@link HostSnapshotSerializer}. */
public final class HostSnapshotTypeInfo extends AtomicTypeInfo<HostSnapshot> {
  private static final long serialVersionUID = 1L;

  public static final HostSnapshotTypeInfo INSTANCE = new HostSnapshotTypeInfo();

  private HostSnapshotTypeInfo() {
    super(HostSnapshot.class, HostSnapshotSerializer.INSTANCE);
  }
}
