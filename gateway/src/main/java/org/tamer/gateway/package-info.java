/**
 * The gateway application. For now its main class runs the foundation check of the README's first command; the
 * Micronaut service (HL7 v2 over MLLP, FHIR, durable store, diagnosis) replaces it with the gateway issue.
 */
package org.tamer.gateway;
