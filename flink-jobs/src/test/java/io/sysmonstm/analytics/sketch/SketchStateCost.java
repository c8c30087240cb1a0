package io.sysmonstm.analytics.sketch;

import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Measures the hot-path cost of the two ways to keep a sketch in Flink state (run by hand: {@code
 * java -cp <test classpath> io.sysmonstm.analytics.sketch.SketchStateCost}): a live {@link
 * ValueSketch} with its own serializer (adding a value is an array increment; encoding happens only
 * when the state is serialized), or the encoded bytes in state (every added value decodes and
 * encodes the sketch). Results are in flink-jobs/README.md.
 */
public final class SketchStateCost {
  private SketchStateCost() {}

  public static void main(String[] args) throws java.io.IOException {
    Random random = new Random(1);
    double[] values = new double[1_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() * random.nextDouble();
    }
    for (int round = 0; round < 3; round++) {
      int n = 100_000;
      ValueSketch live = new ValueSketch();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        live.add(values[i % values.length]);
      }
      long t1 = System.nanoTime();
      byte[] bytes = new ValueSketch().encode();
      for (int i = 0; i < n; i++) {
        ValueSketch s = ValueSketch.decode(bytes);
        s.add(values[i % values.length]);
        bytes = s.encode();
      }
      long t2 = System.nanoTime();
      DataOutputSerializer out = new DataOutputSerializer(1024);
      for (int i = 0; i < n; i++) {
        out.clear();
        ValueSketchSerializer.INSTANCE.serialize(live, out);
        ValueSketchSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
      }
      long t3 = System.nanoTime();
      System.out.printf(
          "round %d: live object add %.0f ns/value | bytes in state (library encoding)"
              + " decode+add+encode %.0f ns/value, %d bytes | state form serialize+deserialize"
              + " %.0f ns, %d bytes%n",
          round,
          (t1 - t0) / (double) n,
          (t2 - t1) / (double) n,
          bytes.length,
          (t3 - t2) / (double) n,
          out.length());
    }
  }
}
