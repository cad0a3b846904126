/**
 * Health of the gateway: readiness ({@link org.tamer.gateway.health.ModelReadiness}) requires the model loaded,
 * the message store answering and every background loop registered in
 * {@link org.tamer.gateway.health.WorkerLoops} still running; {@link org.tamer.gateway.health.HealthProbe} is the
 * container health check that asks the readiness endpoint without curl or wget.
 */
package org.tamer.gateway.health;
