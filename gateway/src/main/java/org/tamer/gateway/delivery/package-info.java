/**
 * Delivery of results to the hospital: write-back transaction Bundles posted to the configured FHIR server
 * ({@link org.tamer.gateway.delivery.FhirServerClient}) and HL7 v2 results sent to the MLLP destination with their
 * ACK checked ({@link org.tamer.gateway.delivery.Hl7ResultSender}). A failure is classed as temporary (retried) or
 * permanent (the dead letter) in a {@link org.tamer.gateway.delivery.DeliveryException}.
 */
package org.tamer.gateway.delivery;
