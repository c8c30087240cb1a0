package io.sysmonstm.analytics.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.sysmonstm.analytics.typeinfo.VarInts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A mergeable quantile sketch of one series' values: a DDSketch (com.datadoghq:sketches-java) with
 * a relative accuracy of {@value #RELATIVE_ACCURACY}.
 *
 * <p>Guarantee: {@link #quantile(double) quantile(q)} is within {@code RELATIVE_ACCURACY · |x|} of
 * {@code x}, the exact quantile in the library's definition: the value of rank {@code
 * floor(q·(n−1))} (0-based) among the {@code n} values in ascending order. Zero is counted exactly
 * (a sketch of zeros answers 0), negative values are kept in their own store. The guarantee holds
 * as long as the non-zero magnitudes of one sketch span less than about 17 orders of magnitude
 * ({@value #MAX_BINS} bins per sign); beyond that the lowest bins collapse, which only degrades the
 * smallest quantiles, and memory stays bounded (at most {@value #MAX_BINS} counters per sign).
 *
 * <p>Sketches merge exactly: the merge of two sketches is the sketch of both inputs, so an hour's
 * sketch is the merge of its minutes' sketches, not an average of averages.
 *
 * <p>Two binary forms: {@link #encode()} is the library's own encoding (index mapping included,
 * readable by sketches-java and sketches-go), written to the {@code sketch} column of the rollup
 * tables; {@link #writeTo}/{@link #readFrom} is the compact form {@link ValueSketchSerializer}
 * keeps in Flink state and sends between operators (never Kryo), about 5x faster to read and write
 * than the library encoding, for the one index mapping this class uses.
 */
@TypeInfo(ValueSketchTypeInfoFactory.class)
public final class ValueSketch {
  /** Relative accuracy of every quantile: 1 %. */
  public static final double RELATIVE_ACCURACY = 0.01;

  /** Bins per store (positive values, negative values); the lowest collapse beyond that. */
  public static final int MAX_BINS = 2048;

  /** Version of the {@link #writeTo} form. */
  static final byte STATE_FORMAT = 1;

  private static final IndexMapping MAPPING =
      DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS).getIndexMapping();

  private final DDSketch sketch;

  /** An empty sketch. */
  public ValueSketch() {
    this(DDSketch.of(MAPPING, newStore(), newStore(), 0));
  }

  private static Store newStore() {
    return new CollapsingLowestDenseStore(MAX_BINS);
  }

  private ValueSketch(DDSketch sketch) {
    this.sketch = sketch;
  }

  /** Adds one value (finite). */
  public void add(double value) {
    sketch.accept(value);
  }

  /** Adds every value of {@code other} to this sketch. */
  public void merge(ValueSketch other) {
    sketch.mergeWith(other.sketch);
  }

  /** Number of values added. */
  public long count() {
    return Math.round(sketch.getCount());
  }

  public boolean isEmpty() {
    return sketch.isEmpty();
  }

  /**
   * The value at quantile {@code q} (0..1), within {@link #RELATIVE_ACCURACY} of the exact one.
   *
   * @throws java.util.NoSuchElementException when the sketch is empty
   */
  public double quantile(double q) {
    return sketch.getValueAtQuantile(q);
  }

  /**
   * The values at several quantiles, as {@link #quantile} gives each, counting the sketch once
   * instead of once per quantile.
   *
   * @throws java.util.NoSuchElementException when the sketch is empty
   */
  public double[] quantiles(double... qs) {
    return sketch.getValuesAtQuantiles(qs);
  }

  /** An independent copy. */
  public ValueSketch copy() {
    return new ValueSketch(sketch.copy());
  }

  /** The library's binary encoding, index mapping included ({@link #decode} reads it back). */
  public byte[] encode() {
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
    try {
      sketch.encode(out, false);
    } catch (IOException e) {
      throw new UncheckedIOException("sketch cannot be encoded", e);
    }
    return out.trimmedCopy();
  }

  /** Reads what {@link #encode()} wrote. */
  public static ValueSketch decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Reads what {@link #encode()} wrote, from {@code length} bytes of {@code bytes} at {@code
   * offset}.
   */
  public static ValueSketch decode(byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return new ValueSketch(
          DDSketch.decode(ByteArrayInput.wrap(bytes, offset, length), ValueSketch::newStore));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not an encoded DDSketch (" + length + " bytes)", e);
    }
  }

  /**
   * Writes the compact state form: a format byte, the count of zeros, then per store (negative,
   * positive) the number of non-empty bins and each bin as an index delta and a count (varints).
   */
  public void writeTo(DataOutputView out) throws IOException {
    out.writeByte(STATE_FORMAT);
    Store negative = sketch.getNegativeValueStore();
    Store positive = sketch.getPositiveValueStore();
    double zeros = sketch.getCount() - negative.getTotalCount() - positive.getTotalCount();
    VarInts.write(out, Math.round(zeros));
    writeStore(out, negative);
    writeStore(out, positive);
  }

  /** Reads what {@link #writeTo} wrote. */
  public static ValueSketch readFrom(DataInputView in) throws IOException {
    byte format = in.readByte();
    if (format != STATE_FORMAT) {
      throw new IOException("unknown sketch state format " + format);
    }
    long zeros = VarInts.read(in, "sketch state");
    Store negative = readStore(in);
    Store positive = readStore(in);
    return new ValueSketch(DDSketch.of(MAPPING, negative, positive, zeros));
  }

  private static void writeStore(DataOutputView out, Store store) throws IOException {
    if (store.isEmpty()) {
      VarInts.write(out, 0);
      return;
    }
    Bins bins = new Bins(store.getMaxIndex() - store.getMinIndex() + 1);
    store.forEach(bins);
    VarInts.write(out, bins.size);
    int previous = 0;
    for (int i = 0; i < bins.size; i++) {
      VarInts.write(out, zigZag(bins.index[i] - previous));
      VarInts.write(out, bins.count[i]);
      previous = bins.index[i];
    }
  }

  /** The non-empty bins of a store, in ascending index order. */
  private static final class Bins implements com.datadoghq.sketch.ddsketch.store.BinAcceptor {
    final int[] index;
    final long[] count;
    int size;

    Bins(int capacity) {
      index = new int[capacity];
      count = new long[capacity];
    }

    @Override
    public void accept(int i, double c) {
      index[size] = i;
      count[size] = Math.round(c);
      size++;
    }
  }

  private static Store readStore(DataInputView in) throws IOException {
    Store store = newStore();
    int bins = (int) VarInts.read(in, "sketch state");
    if (bins == 0) {
      return store;
    }
    int[] index = new int[bins];
    long[] count = new long[bins];
    int previous = 0;
    for (int i = 0; i < bins; i++) {
      previous += unZigZag(VarInts.read(in, "sketch state"));
      index[i] = previous;
      count[i] = VarInts.read(in, "sketch state");
    }
    // highest and lowest first: the store sizes its array once
    store.add(index[bins - 1], count[bins - 1]);
    for (int i = 0; i < bins - 1; i++) {
      store.add(index[i], count[i]);
    }
    return store;
  }

  private static long zigZag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static int unZigZag(long v) {
    return (int) ((v >>> 1) ^ -(v & 1));
  }

  /** Sketches are equal when they hold the same counts in the same bins. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ValueSketch v && java.util.Arrays.equals(stateBytes(), v.stateBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(stateBytes());
  }

  private byte[] stateBytes() {
    DataOutputSerializer out = new DataOutputSerializer(64);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.getCopyOfBuffer();
  }

  @Override
  public String toString() {
    return "ValueSketch[count=" + count() + "]";
  }
}
