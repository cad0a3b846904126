/**
 * The gateway's Prometheus metrics ({@link org.tamer.gateway.metrics.GatewayMetrics}): messages by channel, type and
 * outcome, end-to-end latency, micro-batch sizes and model time; and the store's depth gauges by state
 * ({@link org.tamer.gateway.metrics.StoreGauges}), global values that every replica on one database reports alike.
 */
package org.tamer.gateway.metrics;
