package io.sysmonstm.analytics.typeinfo;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type information of an immutable type, for a stream whose chained consumers may share one
 * instance: serialized exactly as by {@code delegate} (same bytes, same serializer snapshot, so
 * state and savepoints do not see a difference), but {@link TypeSerializer#copy} returns the
 * instance itself. With object reuse off, Flink deep-copies a record once per chained consumer; for
 * a host's rollup (every series with its sketch) that was a quarter of the minute close.
 *
 * <p>Only for types that nobody changes after construction, consumers included.
 *
 * @param <T> the type
 */
public final class SharedInstanceTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final TypeInformation<T> delegate;

  public SharedInstanceTypeInfo(TypeInformation<T> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@code type}'s own type information (its POJO or record serializer), shared. */
  public static <T> SharedInstanceTypeInfo<T> of(Class<T> type) {
    return new SharedInstanceTypeInfo<>(TypeInformation.of(type));
  }

  @Override
  public boolean isBasicType() {
    return delegate.isBasicType();
  }

  @Override
  public boolean isTupleType() {
    return delegate.isTupleType();
  }

  @Override
  public int getArity() {
    return delegate.getArity();
  }

  @Override
  public int getTotalFields() {
    return delegate.getTotalFields();
  }

  @Override
  public Class<T> getTypeClass() {
    return delegate.getTypeClass();
  }

  @Override
  public boolean isKeyType() {
    return delegate.isKeyType();
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new Serializer<>(delegate.createSerializer(config));
  }

  @Override
  public String toString() {
    return delegate + " (shared instances)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SharedInstanceTypeInfo<?> other && delegate.equals(other.delegate);
  }

  @Override
  public int hashCode() {
    return 31 * delegate.hashCode() + 1;
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof SharedInstanceTypeInfo;
  }

  /** {@code delegate}'s serializer with {@link #copy} returning its argument. */
  static final class Serializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<T> delegate;

    Serializer(TypeSerializer<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
      TypeSerializer<T> d = delegate.duplicate();
      return d == delegate ? this : new Serializer<>(d);
    }

    @Override
    public T createInstance() {
      return delegate.createInstance();
    }

    @Override
    public T copy(T from) {
      return from;
    }

    @Override
    public T copy(T from, T reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return delegate.getLength();
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
      delegate.serialize(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
      return delegate.deserialize(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
      // a shared instance is never filled in place
      return delegate.deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      delegate.copy(source, target);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Serializer<?> other && delegate.equals(other.delegate);
    }

    @Override
    public int hashCode() {
      return 31 * delegate.hashCode() + 1;
    }

    /** The delegate's snapshot: the bytes are the delegate's, so is their compatibility. */
    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
      return delegate.snapshotConfiguration();
    }
  }
}
