package org.tamer.fhir.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

/** A real PTB-XL record as a FHIR waveform Observation, with SampledData and notes beyond the decoder limits. */
class EcgFhirMapperLimitsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final FhirResourceReader reader = new FhirResourceReader(FHIR);

    @Test
    void sampledDataBeyondTheSampleLimitsIsRefusedBeforeItIsDecoded() {
        String json = json(observation());
        DecoderLimits perLead = limits(4_000, 16_000_000L, 1_000_000);
        FhirMappingException e = assertThrows(FhirMappingException.class, () -> new EcgFhirMapper(
                new MdcLeadCodes(), perLead).toRecord((Observation) reader.parse(json)));
        assertEquals("Observation.component[0].valueSampledData.data", e.path());
        assertTrue(e.reason().contains("5000 samples per lead") && e.reason().contains(
                "tamer.decoder.max-samples-per-lead"), e.reason());
        DecoderLimits total = limits(1_000_000, 40_000L, 1_000_000);
        e = assertThrows(FhirMappingException.class, () -> new EcgFhirMapper(new MdcLeadCodes(), total)
                .toRecord((Observation) reader.parse(json)));
        assertEquals("Observation.component[8].valueSampledData.data", e.path()); // 9 x 5000 > 40000
        assertTrue(e.reason().contains("tamer.decoder.max-total-samples"), e.reason());
    }

    @Test
    void notesBeyondTheTextLimitAreRefused() {
        Observation observation = observation();
        observation.addNote(new Annotation().setText("sinus rhythm. ".repeat(100)));
        String json = json(observation);
        FhirMappingException e = assertThrows(FhirMappingException.class, () -> new EcgFhirMapper(
                new MdcLeadCodes(), limits(1_000_000, 16_000_000L, 1_000)).toRecord((Observation) reader.parse(json)));
        assertEquals("Observation.note", e.path());
        assertTrue(e.reason().contains("tamer.decoder.max-text-length"), e.reason());
    }

    @Test
    void theRealRecordIsWithinTheDefaultLimits() {
        EcgRecord back = new EcgFhirMapper(new MdcLeadCodes()).toRecord((Observation) reader.parse(json(
                observation())));
        assertEquals(5000, back.signal().length());
    }

    private static Observation observation() {
        EcgRecord record = EcgRecord.of("ptbxl-1", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(1, true)), SourceMetadata.of("PTB-XL", null));
        return new EcgFhirMapper(new MdcLeadCodes()).toObservation(record);
    }

    private static String json(Observation observation) {
        return FHIR.newJsonParser().encodeResourceToString(observation);
    }

    private static DecoderLimits limits(int samplesPerLead, long totalSamples, int textLength) {
        return new DecoderLimits(64L << 20, 64, samplesPerLead, totalSamples, 32, 200_000, 1_000, textLength);
    }
}
