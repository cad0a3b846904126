package org.tamer.routes.route;

/**
 * Where the FHIR polling route hands each Observation it finds at the hospital's FHIR server. The implementation
 * stores it durably (or finds it stored already) before returning; when it cannot, it throws, and the poll stops
 * before its cursor moves past the Observation.
 */
public interface FhirObservationIntake {

    /**
     * @param observationJson the Observation as R4 JSON
     * @param controlId       the Observation's versioned address at the source ({@code base/Observation/id/_history/v}),
     *                        the same on every poll, so a resource seen twice is stored once
     * @param source          the source server's base URL, for audit
     * @return true if the Observation was new, false if it was stored before
     */
    boolean receive(String observationJson, String controlId, String source);
}
