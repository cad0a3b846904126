/**
 * Short human-readable summaries of diagnosis results (interpretation, findings, probabilities, the model that
 * made them), read back from the FHIR resources the gateway writes: for the demo sender and the operator console.
 */
package org.tamer.gateway.summary;
