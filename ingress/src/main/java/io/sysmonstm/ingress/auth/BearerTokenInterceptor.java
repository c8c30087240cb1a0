package io.sysmonstm.ingress.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} naming one of the configured
 * tokens; any other call ends at once with {@code UNAUTHENTICATED "missing or invalid bearer
 * token"}. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every
 * configured token, so the time taken says nothing about how much of a token was right.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(BearerTokenInterceptor.class);

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  public static final String DENIED = "missing or invalid bearer token";

  private static final String SCHEME = "bearer ";

  private final List<byte[]> digests;

  /**
   * @param tokens the accepted tokens, at least one
   */
  public BearerTokenInterceptor(List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("no tokens: leave the interceptor out to turn auth off");
    }
    this.digests = tokens.stream().map(BearerTokenInterceptor::digest).toList();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (accepts(headers.get(AUTHORIZATION))) {
      return next.startCall(call, headers);
    }
    // one line per refused call; collectors back off between attempts
    LOG.info(
        "Refused {} from {}: {}",
        call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        DENIED);
    call.close(Status.UNAUTHENTICATED.withDescription(DENIED), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Whether an {@code authorization} header value carries an accepted token. */
  boolean accepts(String header) {
    if (header == null || header.length() <= SCHEME.length()) {
      return false;
    }
    if (!header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    String token = header.substring(SCHEME.length()).trim();
    if (token.isEmpty()) {
      return false;
    }
    byte[] presented = digest(token);
    boolean match = false;
    for (byte[] d : digests) {
      match |= MessageDigest.isEqual(d, presented);
    }
    return match;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
