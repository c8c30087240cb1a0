package io.sysmonstm.relay.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTokenTest {
  @Test
  void withoutATokenEveryoneMayChangeRules() {
    AdminToken open = new AdminToken(Optional.empty());
    assertThat(open.required()).isFalse();
    assertThat(open.accepts(null)).isTrue();
    assertThat(open.accepts("Bearer anything")).isTrue();
    assertThat(new AdminToken(Optional.of(" ")).required()).isFalse();
  }

  @Test
  void withATokenOnlyTheBearerOfItMay() {
    AdminToken t = new AdminToken(Optional.of("s3cret-token"));
    assertThat(t.required()).isTrue();
    assertThat(t.accepts("Bearer s3cret-token")).isTrue();
    assertThat(t.accepts("bearer  s3cret-token ")).isTrue();
    assertThat(t.accepts(null)).isFalse();
    assertThat(t.accepts("")).isFalse();
    assertThat(t.accepts("Bearer")).isFalse();
    assertThat(t.accepts("Bearer ")).isFalse();
    assertThat(t.accepts("s3cret-token")).isFalse();
    assertThat(t.accepts("Basic s3cret-token")).isFalse();
    assertThat(t.accepts("Bearer s3cret-toke")).isFalse();
    assertThat(t.accepts("Bearer s3cret-token2")).isFalse();
    assertThat(t.accepts("Bearer S3CRET-TOKEN")).isFalse();
  }
}
