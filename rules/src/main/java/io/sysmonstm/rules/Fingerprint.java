package io.sysmonstm.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Identity of an alert: one (rule, host, series). Stored in the alerts table: stable forever. */
public final class Fingerprint {
  private Fingerprint() {}

  /**
   * The first 16 lower-case hex characters of SHA-256 over {@code ruleId \0 hostId \0 series}
   * (UTF-8). Use {@code ""} for a part that does not apply (the series of a host-down alert).
   */
  public static String of(String ruleId, String hostId, String series) {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(series, "series");
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    byte[] digest =
        sha.digest((ruleId + '\0' + hostId + '\0' + series).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 8);
  }
}
