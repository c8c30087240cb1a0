package io.sysmonstm.analytics.typeinfo;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Unsigned variable-length integers (LEB128: 7 bits per byte, low bits first, high bit set on every
 * byte but the last), for the job's own state formats: small numbers take one byte.
 */
public final class VarInts {
  private VarInts() {}

  /** Writes {@code v} as an unsigned varint (a negative {@code v} takes ten bytes). */
  public static void write(DataOutputView out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Reads a varint {@link #write} wrote; {@code what} names the state in the error. */
  public static long read(DataInputView in, String what) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("malformed varint in " + what);
  }
}
