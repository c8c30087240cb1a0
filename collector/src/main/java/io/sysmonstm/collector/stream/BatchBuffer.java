package io.sysmonstm.collector.stream;

import io.sysmonstm.proto.v1.MetricBatch;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batches not yet acknowledged by ingress, in {@code seq} order, at most {@code capacity}: when
 * full, the oldest batch is dropped and counted. Thread-safe.
 */
final class BatchBuffer {
  private final int capacity;
  private final TreeMap<Long, MetricBatch> batches = new TreeMap<>();
  private long lastAdded;
  private long dropped;

  BatchBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** Adds the newest batch; returns whether the oldest one was dropped to make room. */
  synchronized boolean add(MetricBatch batch) {
    if (batch.getSeq() <= lastAdded) {
      throw new IllegalArgumentException(
          "seq must increase: " + batch.getSeq() + " after " + lastAdded);
    }
    lastAdded = batch.getSeq();
    batches.put(batch.getSeq(), batch);
    if (batches.size() > capacity) {
      batches.pollFirstEntry();
      dropped++;
      return true;
    }
    return false;
  }

  /** Removes every batch with {@code seq <= acked}; returns how many. */
  synchronized int ackUpTo(long acked) {
    Map<Long, MetricBatch> head = batches.headMap(acked, true);
    int n = head.size();
    head.clear();
    return n;
  }

  /** Removes exactly the batch {@code seq}; returns whether it was there. */
  synchronized boolean remove(long seq) {
    return batches.remove(seq) != null;
  }

  /** The first batch after {@code seq}, or null. */
  synchronized MetricBatch after(long seq) {
    Map.Entry<Long, MetricBatch> e = batches.higherEntry(seq);
    return e == null ? null : e.getValue();
  }

  /** The oldest batch, or null when empty. */
  synchronized MetricBatch oldest() {
    Map.Entry<Long, MetricBatch> e = batches.firstEntry();
    return e == null ? null : e.getValue();
  }

  synchronized int size() {
    return batches.size();
  }

  synchronized boolean isFull() {
    return batches.size() >= capacity;
  }

  /** Batches dropped because the buffer was full, since start. */
  synchronized long dropped() {
    return dropped;
  }

  synchronized List<Long> seqs() {
    return List.copyOf(batches.keySet());
  }
}
