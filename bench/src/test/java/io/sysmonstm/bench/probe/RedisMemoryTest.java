package io.sysmonstm.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisMemoryTest {
  @Test
  void readsUsedMaxAndEvictedFromInfoText() {
    String info =
        "# Memory\r\nused_memory:1221143296\r\nused_memory_human:1.14G\r\n"
            + "maxmemory:1589641216\r\nmaxmemory_policy:allkeys-lru\r\n\n"
            + "# Stats\r\ntotal_commands_processed:2041627\r\nevicted_keys:16988\r\n";
    assertThat(RedisMemory.parse(info))
        .isEqualTo(new RedisMemory.Reading(1_221_143_296L, 1_589_641_216L, 16_988));
  }

  @Test
  void namesTheFieldThatIsMissing() {
    assertThatThrownBy(() -> RedisMemory.parse("# Memory\r\nused_memory:1\r\nmaxmemory:0\r\n"))
        .hasMessageContaining("evicted_keys");
  }
}
