package org.tamer.gateway.store;

/** How a message reached the gateway. */
public enum Channel {
    /** HL7 v2 over MLLP. */
    MLLP,
    /** FHIR REST: an Observation or a Bundle. */
    FHIR,
    /** A file upload in one of the archive formats (DICOM, aECG, Sierra, MUSE, WFDB). */
    UPLOAD
}
