package org.tamer.gateway.pipeline;

import java.util.Optional;

/** What a diagnosis produces for delivery: the FHIR transaction Bundle and, for HL7 v2 sources, the ORU^R01. */
public record DiagnosisResult(String recordId, String bundleJson, Optional<String> hl7Result, String modelSha256) {
}
