package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.typeinfo.VarInts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The open batches of {@link MinuteBatches} in a checkpoint: all of a subtask's batches as one byte
 * array, each distinct string written once.
 *
 * <p>Written one by one with the POJO serializer, a batch carried its host's series keys, metric
 * names and attrs (the same for nearly every host), and every snapshot its run id and host facts
 * (the same for nearly every snapshot of a host): at 10,000 hosts a subtask wrote 16-22 MB of them
 * on every checkpoint, more than RocksDB's new files, and that was the checkpoints' longest part.
 * Here a string that came before is a varint reference, facts equal to the snapshot before are one
 * byte, and what is left is mostly the values.
 *
 * <p>Version 1, big-endian:
 *
 * <pre>
 * byte    version (1)
 * varint  batches; per batch:
 *   str     host id
 *   varint  series; per series: str key, str metric, str attrs
 *   varint  snapshots; per snapshot:
 *     long    event time, long seq, str run id
 *     byte    0: facts as the snapshot before; 1: str hostname, str os, varint cores,
 *             long memory total bytes, str collector version
 *     varint  samples; per sample: varint series index, double value
 * str = varint 0: a new string (varint UTF-8 length, bytes), then the next table index;
 *       varint n > 0: the string at table index n - 1
 * </pre>
 */
final class MinuteBatchCodec {
  static final byte VERSION = 1;

  private MinuteBatchCodec() {}

  /** {@code batches} as one array (see the class comment). */
  static byte[] encode(Collection<MinuteBatch> batches) throws IOException {
    Writer w = new Writer(64 + 512 * batches.size());
    w.out.writeByte(VERSION);
    w.varint(batches.size());
    for (MinuteBatch b : batches) {
      w.string(b.hostId);
      w.varint(b.keys.length);
      for (int i = 0; i < b.keys.length; i++) {
        w.string(b.keys[i]);
        w.string(b.metrics[i]);
        w.string(b.attrs[i]);
      }
      w.varint(b.timestamps.length);
      int sample = 0;
      for (int j = 0; j < b.timestamps.length; j++) {
        w.out.writeLong(b.timestamps[j]);
        w.out.writeLong(b.seqs[j]);
        w.string(b.runIds[j]);
        HostFacts f = b.facts[j];
        if (j > 0 && f.equals(b.facts[j - 1])) {
          w.out.writeByte(0);
        } else {
          w.out.writeByte(1);
          w.string(f.hostname());
          w.string(f.os());
          w.varint(f.cores());
          w.out.writeLong(f.memoryTotalBytes());
          w.string(f.collectorVersion());
        }
        int end = b.sampleEnds[j];
        w.varint(end - sample);
        for (; sample < end; sample++) {
          w.varint(b.seriesIndex[sample]);
          w.out.writeDouble(b.values[sample]);
        }
      }
    }
    return w.out.getCopyOfBuffer();
  }

  /** The batches {@link #encode} wrote into {@code bytes}, in their order. */
  static List<MinuteBatch> decode(byte[] bytes) throws IOException {
    Reader r = new Reader(bytes);
    byte version = r.in.readByte();
    if (version != VERSION) {
      throw new IOException("open minute batches of an unknown version " + version);
    }
    int count = r.varint();
    List<MinuteBatch> batches = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      MinuteBatch b = new MinuteBatch();
      b.hostId = r.string();
      int series = r.varint();
      b.keys = new String[series];
      b.metrics = new String[series];
      b.attrs = new String[series];
      for (int i = 0; i < series; i++) {
        b.keys[i] = r.string();
        b.metrics[i] = r.string();
        b.attrs[i] = r.string();
      }
      int snapshots = r.varint();
      b.timestamps = new long[snapshots];
      b.seqs = new long[snapshots];
      b.runIds = new String[snapshots];
      b.facts = new HostFacts[snapshots];
      b.sampleEnds = new int[snapshots];
      int[] seriesIndex = new int[Math.max(16, snapshots * series)];
      double[] values = new double[seriesIndex.length];
      int sample = 0;
      for (int j = 0; j < snapshots; j++) {
        b.timestamps[j] = r.in.readLong();
        b.seqs[j] = r.in.readLong();
        b.runIds[j] = r.string();
        byte factsTag = r.in.readByte();
        if (factsTag == 0 && j > 0) {
          b.facts[j] = b.facts[j - 1];
        } else if (factsTag == 1) {
          b.facts[j] =
              new HostFacts(r.string(), r.string(), r.varint(), r.in.readLong(), r.string());
        } else {
          throw new IOException("open minute batches: bad facts tag " + factsTag);
        }
        int samples = r.varint();
        if (sample + samples > values.length) {
          int size = Math.max(values.length * 2, sample + samples);
          seriesIndex = Arrays.copyOf(seriesIndex, size);
          values = Arrays.copyOf(values, size);
        }
        for (int k = 0; k < samples; k++, sample++) {
          int index = r.varint();
          if (index >= series) {
            throw new IOException("open minute batches: series index " + index + " of " + series);
          }
          seriesIndex[sample] = index;
          values[sample] = r.in.readDouble();
        }
        b.sampleEnds[j] = sample;
      }
      b.seriesIndex = Arrays.copyOf(seriesIndex, sample);
      b.values = Arrays.copyOf(values, sample);
      batches.add(b);
    }
    if (r.in.available() != 0) {
      throw new IOException("open minute batches: " + r.in.available() + " bytes after the end");
    }
    return batches;
  }

  private static final class Writer {
    final DataOutputSerializer out;
    final Map<String, Integer> table = new HashMap<>();

    Writer(int size) {
      out = new DataOutputSerializer(size);
    }

    void varint(int v) throws IOException {
      if (v < 0) {
        throw new IllegalArgumentException("negative varint " + v);
      }
      VarInts.write(out, v);
    }

    void string(String s) throws IOException {
      Integer at = table.get(s);
      if (at != null) {
        varint(at + 1);
        return;
      }
      table.put(s, table.size());
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varint(0);
      varint(utf8.length);
      out.write(utf8);
    }
  }

  private static final class Reader {
    final DataInputDeserializer in;
    final List<String> table = new ArrayList<>();

    Reader(byte[] bytes) {
      in = new DataInputDeserializer(bytes);
    }

    int varint() throws IOException {
      long v = VarInts.read(in, "open minute batches");
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IOException("open minute batches: varint " + v + " is not an int");
      }
      return (int) v;
    }

    String string() throws IOException {
      int ref = varint();
      if (ref > 0) {
        if (ref > table.size()) {
          throw new IOException("open minute batches: string " + ref + " of " + table.size());
        }
        return table.get(ref - 1);
      }
      byte[] utf8 = new byte[varint()];
      in.readFully(utf8);
      String s = new String(utf8, StandardCharsets.UTF_8);
      table.add(s);
      return s;
    }
  }
}
