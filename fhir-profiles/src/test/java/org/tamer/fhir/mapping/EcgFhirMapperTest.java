package org.tamer.fhir.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.testdata.SharedData;

class EcgFhirMapperTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final EcgFhirMapper mapper = new EcgFhirMapper(new MdcLeadCodes());
    private final FhirResourceReader reader = new FhirResourceReader(FHIR);

    @Test
    void mapsTheFhirCoreExampleEkgAndBack() throws IOException {
        Observation ekg = (Observation) reader.parse(resource("/fhir-examples/observation-example-ekg.json"));
        EcgRecord record = mapper.toRecord(ekg);
        EcgSignal signal = record.signal();
        assertEquals(List.of(StandardLead.I, StandardLead.II, StandardLead.III), signal.leads());
        assertEquals(100.0, signal.samplingRateHz());
        assertEquals(116, signal.length());
        // value = origin + factor x datum; the example's origin has no unit and is read as mV
        assertEquals((float) (2048 + 1.612 * 2041), signal.millivolts(0, 0));
        assertEquals((float) (2048 + 1.612 * 2073), signal.millivolts(2, 115));
        assertEquals(Optional.of("Patient/f001"), record.subjectReference());
        assertEquals(OffsetDateTime.parse("2015-02-19T09:30:35+01:00"), record.acquisitionTime().orElseThrow());
        assertEquals("ekg", record.id());
        assertEquals(Optional.of("12 lead EKG Device Metric"), record.source().device());

        Observation written = mapper.toObservation(record);
        assertEquals("131073", written.getComponent().get(0).getCode().getCodingFirstRep().getCode());
        assertEquals(MdcLeadCodes.SYSTEM, written.getComponent().get(0).getCode().getCodingFirstRep().getSystem());
        for (boolean json : new boolean[] {true, false}) {
            String text = json ? FHIR.newJsonParser().encodeResourceToString(written)
                    : FHIR.newXmlParser().encodeResourceToString(written);
            EcgRecord back = mapper.toRecord((Observation) reader.parse(text));
            assertEquals(record.signal(), back.signal());
            assertEquals(record.subjectReference(), back.subjectReference());
            assertEquals(record.acquisitionTime(), back.acquisitionTime());
            assertEquals(record.id(), back.id());
        }
    }

    @Test
    void everyPtbXlRecordRoundTripsThroughJsonAndXmlBitExactly() {
        int checked = 0;
        for (int id : SharedData.ptbXlIds()) {
            EcgRecord record = new EcgRecord("ptbxl-" + id, Optional.of("Patient/ptbxl-" + id), Optional.empty(),
                    Optional.of(OffsetDateTime.parse("1984-11-09T09:17:34Z")),
                    EcgSignal.of(500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(id, true)),
                    Optional.of("sinusrhythmus periphere niederspannung"), SourceMetadata.of("PTB-XL", null));
            Observation observation = mapper.toObservation(record);
            String json = FHIR.newJsonParser().encodeResourceToString(observation);
            String xml = FHIR.newXmlParser().encodeResourceToString(observation);
            for (String text : new String[] {json, xml}) {
                EcgRecord back = mapper.toRecord((Observation) reader.parse(text));
                assertEquals(record.signal(), back.signal(), "record " + id);
                assertEquals(record.reportText(), back.reportText());
                assertEquals(record.acquisitionTime(), back.acquisitionTime());
            }
            checked++;
        }
        assertEquals(500, checked);
    }

    @Test
    void missingSamplesTravelAsE() {
        float[][] mv = PtbXlRaw.millivolts(3, true);
        mv[4][10] = Float.NaN;
        mv[0][0] = -0f;
        EcgRecord record = EcgRecord.of("gap", EcgSignal.of(500, StandardLead.CANONICAL_ORDER, mv),
                SourceMetadata.of("test", null));
        Observation observation = mapper.toObservation(record);
        assertTrue(observation.getComponent().get(4).getValueSampledData().getData().split(" ")[10].equals("E"));
        EcgRecord back = mapper.toRecord((Observation) reader.parse(FHIR.newJsonParser()
                .encodeResourceToString(observation)));
        assertEquals(record.signal(), back.signal());
        assertEquals(1, back.signal().missingSampleCount());
    }

    @Test
    void takesTheReportFromADiagnosticReportInTheBundle() {
        EcgRecord record = EcgRecord.of("b1", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(2, true)), SourceMetadata.of("test", null));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setResource(mapper.toObservation(record));
        bundle.addEntry().setResource(new DiagnosticReport().setConclusion("sinus bradycardia, otherwise normal"));
        EcgRecord mapped = mapper.toRecord((Bundle) reader.parse(FHIR.newJsonParser().encodeResourceToString(bundle)));
        assertEquals(Optional.of("sinus bradycardia, otherwise normal"), mapped.reportText());
        assertEquals(record.signal(), mapped.signal());
    }

    @Test
    void namesTheElementAndReasonOfEveryMappingError() throws IOException {
        String ekg = resource("/fhir-examples/observation-example-ekg.json");
        assertError(ekg.replaceFirst("\"period\": 10", "\"interval\": 10, \"intervalUnit\": \"ms\""),
                "valueSampledData.interval",
                "element 'interval' is not defined in FHIR R4 (this is R5 SampledData; R4 gives the sampling period "
                        + "in ms as 'period')");
        assertError(ekg.replaceFirst("\"131330\"", "\"131999\""), "Observation.component[1].code",
                "MDC code 131999 is not one of the twelve standard ECG leads");
        assertError(ekg.replaceFirst("\"131330\"", "\"131329\""), "Observation.component[1].code",
                "lead I appears twice");
        assertError(ekg.replaceFirst("\"data\": \"2041 2043 ", "\"data\": \""),
                "Observation.component[1].valueSampledData.data", "has 116 samples but lead I has 114");
        assertError(ekg.replaceFirst("\"origin\": \\{\n", "\"origin\": {\n \"code\": \"mm[Hg]\", \"system\": "
                + "\"http://unitsofmeasure.org\",\n"), "Observation.component[0].valueSampledData.origin.code",
                "unit 'mm[Hg]' is not a voltage unit this gateway reads (mV, uV, V)");
        assertError(ekg.replaceFirst("\"period\": 10", "\"period\": 0"),
                "Observation.component[0].valueSampledData.period", "missing or not positive; the sampling period in "
                        + "milliseconds is required (R5's interval/intervalUnit is not R4)");
        assertError(ekg.replaceFirst("2041 2043", "2041 x43"), "Observation.component[0].valueSampledData.data",
                "sample 1 is 'x43', not a decimal or E/L/U");
        assertError(ekg.replaceFirst("urn:oid:2.16.840.1.113883.6.24\",\n            \"code\": \"131330\"",
                "http://loinc.org\",\n            \"code\": \"131330\""), "Observation.component[1].code",
                "no ISO/IEEE 11073 MDC lead coding (system urn:iso:std:iso:11073:10101 or urn:oid:2.16.840.1.113883.6.24)");
        assertError(ekg.replaceFirst("\"dimensions\": 1", "\"dimensions\": 2"),
                "Observation.component[0].valueSampledData.dimensions", "is 2; an ECG lead has one dimension");
    }

    private void assertError(String json, String path, String reason) {
        FhirMappingException e = assertThrows(FhirMappingException.class,
                () -> mapper.toRecord((Observation) reader.parse(json)));
        assertTrue(e.path().endsWith(path), "path " + e.path() + " for " + e.getMessage());
        assertEquals(reason, e.reason());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = EcgFhirMapperTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
