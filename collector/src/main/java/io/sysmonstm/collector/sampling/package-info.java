/**
 * Sampling the machine: {@link io.sysmonstm.collector.sampling.SystemReader} returns raw readings
 * (OSHI in production, fakes in tests) and {@link io.sysmonstm.collector.sampling.Sampler} turns
 * two successive readings into the samples named in docs/design.md, Core series.
 */
package io.sysmonstm.collector.sampling;
