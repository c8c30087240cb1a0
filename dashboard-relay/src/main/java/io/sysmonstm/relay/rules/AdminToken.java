package io.sysmonstm.relay.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * The admin token rule changes need ({@code --admin-token}), checked in constant time: the relay
 * keeps only its SHA-256 and compares digests, so neither the token's content nor its length shows
 * in how long a refusal takes.
 */
public final class AdminToken {
  private static final String BEARER = "bearer ";

  private final byte[] digest;

  /** {@code token} empty = rule changes need no token. */
  public AdminToken(Optional<String> token) {
    this.digest = token.filter(t -> !t.isBlank()).map(AdminToken::sha256).orElse(null);
  }

  /** Whether a token is configured. */
  public boolean required() {
    return digest != null;
  }

  /**
   * Whether a request with this {@code Authorization} header may change rules: always when no token
   * is configured, else only with {@code Bearer <token>}.
   */
  public boolean accepts(String authorization) {
    if (digest == null) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    String h = authorization.strip();
    if (h.length() <= BEARER.length()
        || !h.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(h.substring(BEARER.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
