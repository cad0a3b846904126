package org.tamer.fhir.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

/** Untrusted FHIR text: only {@link FhirMappingException} may come out, naming the format. */
class FhirResourceReaderTest {

    private final FhirResourceReader reader = new FhirResourceReader(FhirContext.forR4Cached());

    /**
     * Found by the long fuzz run of FhirWaveformFuzzTest (its input is kept as a regression seed): HAPI's JSON parser
     * answers an empty property name with StringIndexOutOfBoundsException, which escaped as a 500.
     */
    @Test
    void anEmptyPropertyNameIsRefusedAsMalformedJson() {
        FhirMappingException e = assertThrows(FhirMappingException.class,
                () -> reader.parse("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"\":1}}"));
        assertEquals("JSON", e.path());
        assertTrue(e.reason().startsWith("not a FHIR R4 resource"), e.reason());
    }

    @Test
    void aWellFormedObservationIsRead() {
        IBaseResource resource = reader.parse("\uFEFF {\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"ECG\"}}");
        assertEquals("Observation", resource.fhirType());
    }
}
