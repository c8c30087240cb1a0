package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Binary form of {@link AlertmanagerState}, version 1: the active alerts, then the pending events,
 * each list as a count and the events field by field (strings as UTF-8 with their length, doubles
 * as their bits so NaN survives).
 */
final class AlertmanagerStateSerializer implements SimpleVersionedSerializer<AlertmanagerState> {
  static final int VERSION = 1;

  /** Guards a corrupt count from allocating a huge list. */
  private static final int MAX_EVENTS = 10_000_000;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(AlertmanagerState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeEvents(out, state.active());
      writeEvents(out, state.pending());
    }
    return bytes.toByteArray();
  }

  @Override
  public AlertmanagerState deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException("unknown Alertmanager writer state version " + version);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      List<AlertEvent> active = readEvents(in);
      List<AlertEvent> pending = readEvents(in);
      return new AlertmanagerState(active, pending);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("corrupt Alertmanager writer state", e);
    }
  }

  private static void writeEvents(DataOutputStream out, List<AlertEvent> events)
      throws IOException {
    out.writeInt(events.size());
    for (AlertEvent e : events) {
      writeString(out, e.fingerprint());
      writeString(out, e.ruleId());
      writeString(out, e.hostId());
      writeString(out, e.series());
      writeString(out, e.severity());
      writeString(out, e.state());
      out.writeDouble(e.value());
      out.writeDouble(e.threshold());
      out.writeLong(e.startsAtMs());
      out.writeLong(e.endsAtMs());
      writeString(out, e.summary());
      out.writeBoolean(e.retro());
      writeString(out, e.labels());
    }
  }

  private static List<AlertEvent> readEvents(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_EVENTS) {
      throw new IOException("corrupt Alertmanager writer state: " + n + " events");
    }
    List<AlertEvent> events = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      events.add(
          new AlertEvent(
              readString(in),
              readString(in),
              readString(in),
              readString(in),
              readString(in),
              readString(in),
              in.readDouble(),
              in.readDouble(),
              in.readLong(),
              in.readLong(),
              readString(in),
              in.readBoolean(),
              readString(in)));
    }
    return events;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("corrupt Alertmanager writer state: string of " + n + " bytes");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
