package org.tamer.fhir.mapping;

import java.util.Objects;

/**
 * A FHIR resource that cannot be mapped: names the element (a FHIRPath-like location such as
 * {@code Observation.component[2].valueSampledData.period}) and the reason. No partial record is ever returned.
 */
public class FhirMappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public FhirMappingException(String path, String reason) {
        super(Objects.requireNonNull(path, "path") + ": " + Objects.requireNonNull(reason, "reason"));
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
