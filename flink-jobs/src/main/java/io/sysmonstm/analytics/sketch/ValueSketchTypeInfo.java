package io.sysmonstm.analytics.sketch;

import io.sysmonstm.analytics.typeinfo.AtomicTypeInfo;

/** Type information of {@link ValueSketch}: an atomic type with {@link ValueSketchSerializer}. */
public final class ValueSketchTypeInfo extends AtomicTypeInfo<ValueSketch> {
  private static final long serialVersionUID = 1L;

  public static final ValueSketchTypeInfo INSTANCE = new ValueSketchTypeInfo();

  private ValueSketchTypeInfo() {
    super(ValueSketch.class, ValueSketchSerializer.INSTANCE);
  }
}
