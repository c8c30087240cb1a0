package io.sysmonstm.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokenInterceptorTest {
  private final BearerTokenInterceptor auth =
      new BearerTokenInterceptor(List.of("fleet-token", "host-web-1-token"));

  @Test
  void everyConfiguredTokenIsAccepted() {
    assertThat(auth.accepts("Bearer fleet-token")).isTrue();
    assertThat(auth.accepts("Bearer host-web-1-token")).isTrue();
  }

  @Test
  void theSchemeIsCaseInsensitiveAsInRfc6750() {
    assertThat(auth.accepts("bearer fleet-token")).isTrue();
    assertThat(auth.accepts("BEARER fleet-token")).isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(auth.accepts(null)).isFalse();
    assertThat(auth.accepts("")).isFalse();
    assertThat(auth.accepts("Bearer")).isFalse();
    assertThat(auth.accepts("Bearer ")).isFalse();
    assertThat(auth.accepts("fleet-token")).isFalse();
    assertThat(auth.accepts("Basic fleet-token")).isFalse();
    assertThat(auth.accepts("Bearer fleet-toke")).isFalse();
    assertThat(auth.accepts("Bearer fleet-token2")).isFalse();
    assertThat(auth.accepts("Bearer FLEET-TOKEN")).isFalse();
    assertThat(auth.accepts("Bearerfleet-token")).isFalse();
  }

  @Test
  void withoutTokensTheInterceptorCannotBeBuilt() {
    assertThatThrownBy(() -> new BearerTokenInterceptor(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
