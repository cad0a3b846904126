package org.tamer.fhir.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.StandardLead;

class MdcLeadCodesTest {

    private final MdcLeadCodes codes = new MdcLeadCodes();

    @Test
    void writesTheDicomLeadCodes() {
        // DICOM CID 3001: "2:1" lead I, "2:61" lead III, "2:62" aVR, "2:3" V1.
        assertEquals("131073", codes.leadCode(StandardLead.I));
        assertEquals("131133", codes.leadCode(StandardLead.III));
        assertEquals("131134", codes.leadCode(StandardLead.AVR));
        assertEquals("131075", codes.leadCode(StandardLead.V1));
    }

    @Test
    void readsTheElectricalPotentialCodesOfTheFhirExample() {
        // The FHIR R4 example Observation "ekg" codes lead I as 131329, II as 131330, III as 131389.
        assertEquals(Optional.of(StandardLead.I), codes.lead("131329"));
        assertEquals(Optional.of(StandardLead.II), codes.lead("131330"));
        assertEquals(Optional.of(StandardLead.III), codes.lead("131389"));
    }

    @Test
    void everyLeadRoundTripsThroughBothCodeSets() {
        for (StandardLead lead : StandardLead.values()) {
            assertEquals(Optional.of(lead), codes.lead(codes.leadCode(lead)));
            assertEquals(Optional.of(lead), codes.lead(codes.potentialCode(lead)));
        }
        assertEquals(Optional.empty(), codes.lead("131072"));
        assertEquals(Optional.empty(), codes.lead("lead I"));
        assertTrue(codes.isMdcSystem("urn:oid:2.16.840.1.113883.6.24"));
    }
}
