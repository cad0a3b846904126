package org.tamer.routes.fuzz;

import ca.uhn.fhir.context.FhirContext;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirMappingException;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.MdcLeadCodes;

/**
 * FHIR R4 waveform Observations and Bundles, JSON or XML, through the strict reader and the waveform mapper:
 * only {@link FhirMappingException} may come out, and a record only within the limits.
 */
class FhirWaveformFuzzTest {

    private static final FhirResourceReader READER = new FhirResourceReader(FhirContext.forR4Cached());
    private static final EcgFhirMapper MAPPER = new EcgFhirMapper(new MdcLeadCodes(), FuzzSupport.LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(FhirWaveformFuzzTest.class, "readAndMap",
                input -> new FhirWaveformFuzzTest().readAndMap(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void readAndMap(byte[] input) {
        try {
            IBaseResource resource = READER.parse(new String(input, StandardCharsets.UTF_8));
            if (resource instanceof Observation observation) {
                FuzzSupport.checkWithinLimits(MAPPER.toRecord(observation));
            } else if (resource instanceof Bundle bundle) {
                FuzzSupport.checkWithinLimits(MAPPER.toRecord(bundle));
            }
        } catch (FhirMappingException expected) {
            // the format's own answer
        }
    }
}
