package io.sysmonstm.live;

/**
 * The field that tells the two kinds of live message apart, and its values. Messages on {@link
 * RedisKeys#LIVE_CHANNEL} are {@value #HOST}, on {@link RedisKeys#ALERTS_CHANNEL} {@value #ALERT};
 * the relay forwards both on one WebSocket, so a reader dispatches on this field, not the channel.
 */
public final class Messages {
  /** The field naming the kind of message; always the first field. */
  public static final String TYPE = "type";

  /** {@value #TYPE} of a host message (fields: {@link HostFields}). */
  public static final String HOST = "host";

  /** {@value #TYPE} of an alert message (fields: {@link AlertFields}). */
  public static final String ALERT = "alert";

  private Messages() {}
}
