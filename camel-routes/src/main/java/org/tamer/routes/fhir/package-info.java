/**
 * FHIR Bulk Data exports as an ECG archive ({@link org.tamer.routes.fhir.FhirBulkArchive}): folders of R4
 * {@code .ndjson} files in which every Observation with SampledData components is an ECG, mapped to a record by
 * {@link org.tamer.fhir.mapping.EcgFhirMapper}. An ECG without its own note takes its report from the
 * DiagnosticReport whose {@code result} references it.
 */
package org.tamer.routes.fhir;
