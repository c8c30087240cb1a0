package io.sysmonstm.collector.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchPublisherTest {
  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), () -> 1.0);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private FakeIngress ingress;
  private BatchPublisher publisher;
  private final AtomicLong ticker = new AtomicLong();

  @BeforeEach
  void startIngress() throws Exception {
    ingress = FakeIngress.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (publisher != null) {
      publisher.close();
    }
    ingress.close();
  }

  private BatchPublisher publisher(Channel channel, int capacity) {
    publisher = new BatchPublisher(channel, "in-process", capacity, FAST, ACK_TIMEOUT, ticker::get);
    publisher.start();
    return publisher;
  }

  private static MetricBatch batch(long seq) {
    return MetricBatch.newBuilder().setHostId("web-1").setRunId("run-1").setSeq(seq).build();
  }

  private void offer(long from, long to) {
    LongStream.rangeClosed(from, to).forEach(seq -> publisher.offer(batch(seq)));
  }

  @Test
  void acknowledgedBatchesLeaveTheBuffer() {
    publisher(ingress.channel(), 100);

    offer(1, 3);

    await().until(() -> publisher.ackedSeq() == 3 && publisher.buffered() == 0);
    assertThat(ingress.seqsPerCall()).containsExactly(List.of(1L, 2L, 3L));
    assertThat(publisher.connected()).isTrue();
  }

  @Test
  void unacknowledgedBatchesAreSentAgainInOrderAfterIngressBreaksTheStream() {
    LogCapture log = LogCapture.of(BatchPublisher.class);
    ingress.autoAck(false);
    publisher(ingress.channel(), 100);
    offer(1, 3);
    await().until(() -> ingress.seqsPerCall().equals(List.of(List.of(1L, 2L, 3L))));
    ingress.ack(1);
    await().until(() -> publisher.bufferedSeqs().equals(List.of(2L, 3L)));

    ingress.autoAck(true);
    ingress.breakStream();
    offer(4, 5);

    await().until(() -> publisher.ackedSeq() == 5 && publisher.buffered() == 0);
    List<List<Long>> calls = ingress.seqsPerCall();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1))
        .as("second call: unacked first, no gaps")
        .containsExactly(2L, 3L, 4L, 5L);
    assertThat(ingress.acked()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(publisher.callsStarted()).isEqualTo(2);
    log.close();
    assertThat(log.lines())
        .as("one line per state change, none per batch")
        .satisfiesExactly(
            l -> assertThat(l).startsWith("INFO Connected to ingress at in-process"),
            l ->
                assertThat(l)
                    .startsWith("WARN Disconnected from ingress at in-process: UNAVAILABLE")
                    .contains("reconnecting in"),
            l -> assertThat(l).startsWith("INFO Connected to ingress at in-process"));
  }

  @Test
  void aBatchRejectedAsInvalidIsDroppedAndTheOthersAreDelivered() {
    ingress.rejectOnce(2);
    publisher(ingress.channel(), 100);

    offer(1, 3);

    await().until(() -> publisher.buffered() == 0 && publisher.ackedSeq() == 3);
    assertThat(publisher.rejected()).isEqualTo(1);
    assertThat(ingress.acked()).containsExactly(1L, 3L);
    List<List<Long>> calls = ingress.seqsPerCall();
    assertThat(calls.get(0)).startsWith(1L, 2L);
    assertThat(calls.subList(1, calls.size())).allSatisfy(c -> assertThat(c).doesNotContain(2L));
  }

  @Test
  void aFullBufferDropsTheOldestBatchesAndCountsThem() {
    ingress.autoAck(false);
    // capture before offering: the overflow warning is logged while the batches are offered
    LogCapture log = LogCapture.of(BatchPublisher.class);
    publisher(ingress.channel(), 3);

    offer(1, 5);

    await().until(() -> publisher.bufferedSeqs().equals(List.of(3L, 4L, 5L)));
    assertThat(publisher.droppedOnOverflow()).isEqualTo(2);

    ingress.ack(5);
    await().until(() -> publisher.buffered() == 0);
    assertThat(publisher.droppedOnOverflow()).isEqualTo(2);
    log.close();
    assertThat(log.lines())
        .filteredOn(l -> l.contains("Buffer"))
        .satisfiesExactly(
            l -> assertThat(l).startsWith("WARN Buffer full (3 unacked batches)"),
            l ->
                assertThat(l)
                    .isEqualTo("INFO Buffer recovered: 2 batches were dropped while it was full"));
  }

  @Test
  void theTokenIsSentAsABearerHeader() throws Exception {
    try (FakeIngress secured = FakeIngress.requiringToken("s3cret")) {
      publisher(ClientInterceptors.intercept(secured.channel(), new BearerToken("s3cret")), 10);

      offer(1, 1);

      await().until(() -> publisher.ackedSeq() == 1);
      assertThat(secured.authorizations()).contains("Bearer s3cret");
      assertThat(secured.refused()).isZero();
      publisher.close();
    }
  }

  @Test
  void aRefusedTokenKeepsTheBatchesAndKeepsRetrying() throws Exception {
    try (FakeIngress secured = FakeIngress.requiringToken("s3cret")) {
      LogCapture log = LogCapture.of(BatchPublisher.class);
      publisher(ClientInterceptors.intercept(secured.channel(), new BearerToken("wrong")), 10);

      offer(1, 2);

      await().until(() -> secured.refused() >= 5);
      log.close();
      assertThat(log.lines())
          .as("logged once, not per retry")
          .singleElement()
          .asString()
          .startsWith("WARN Ingress at in-process refused the token")
          .contains("retrying in");
      assertThat(publisher.connected()).isFalse();
      assertThat(publisher.bufferedSeqs()).containsExactly(1L, 2L);
      assertThat(secured.received()).isEmpty();
      publisher.close();
    }
  }

  @Test
  void noAckForTheAckTimeoutReplacesTheCallAndSendsAgain() throws Exception {
    ingress.autoAck(false);
    publisher(ingress.channel(), 10);
    offer(1, 1);
    await().until(() -> ingress.seqsPerCall().equals(List.of(List.of(1L))));

    ticker.addAndGet(ACK_TIMEOUT.toNanos() - 1);
    publisher.checkAckTimeoutNow();
    assertThat(publisher.callsStarted()).as("not yet timed out").isEqualTo(1);

    ticker.addAndGet(1);
    publisher.checkAckTimeoutNow();

    await().until(() -> ingress.seqsPerCall().size() == 2);
    await().until(() -> ingress.seqsPerCall().get(1).equals(List.of(1L)));
    assertThat(publisher.bufferedSeqs()).containsExactly(1L);
  }

  @Test
  void closeWaitsForIngressToAcknowledgeWhatIsInFlight() {
    ingress.autoAck(false);
    publisher(ingress.channel(), 10);
    offer(1, 3);
    await().until(() -> ingress.seqsPerCall().equals(List.of(List.of(1L, 2L, 3L))));

    publisher.close();

    assertThat(publisher.ackedSeq()).isEqualTo(3);
    assertThat(publisher.buffered()).isZero();
  }

  @Test
  void closeReturnsWithinSecondsWhenIngressNeverAnswers() {
    ingress.autoAck(false);
    ingress.ackAllOnHalfClose(false);
    publisher(ingress.channel(), 10);
    offer(1, 2);
    await().until(() -> ingress.received().size() == 2);

    long start = System.nanoTime();
    publisher.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(publisher.bufferedSeqs()).containsExactly(1L, 2L);
  }
}
