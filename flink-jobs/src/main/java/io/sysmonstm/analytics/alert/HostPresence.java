package io.sysmonstm.analytics.alert;

/**
 * What the job knows of a host's liveness.
 *
 * @param lastSeenTs event time of the host's newest snapshot
 * @param lastArrivalMs processing time that snapshot reached the job
 * @param timerAtMs the pending processing-time check for host silence, 0 when none
 */
public record HostPresence(long lastSeenTs, long lastArrivalMs, long timerAtMs) {}
