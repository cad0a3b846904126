/**
 * The gateway's HTTP API: the FHIR R4 endpoint for ECG intake, {@code $diagnose} and reads of the diagnoses
 * ({@link org.tamer.gateway.http.FhirController}), ECG file upload, and the admin API behind the operator console
 * ({@link org.tamer.gateway.http.AdminController}) for message lists, message handling, replay and status. Views of
 * stored messages never carry their raw content, and clinical fields follow the caller's FHIR scopes.
 */
package org.tamer.gateway.http;
