/**
 * A message's way through the gateway: intake of HL7 v2 ({@link org.tamer.gateway.pipeline.Hl7MessageIntake}) and
 * FHIR resources and files, which store the raw bytes before answering; the diagnosis worker
 * ({@link org.tamer.gateway.pipeline.DiagnosisWorker}), which claims PARSED messages under a lease and records their
 * results; and the outbox ({@link org.tamer.gateway.pipeline.DeliveryWorker}), which delivers them. Retries,
 * permanent failures (FAILED, DEAD), lease renewals and HL7 v2 application acknowledgements belong here too.
 */
package org.tamer.gateway.pipeline;
