/**
 * Streaming batches to ingress: a bounded buffer of unacknowledged batches, one bidirectional
 * {@code Publish} call at a time, flow control by {@code isReady()}, reconnection with exponential
 * backoff and full jitter.
 */
package io.sysmonstm.collector.stream;
