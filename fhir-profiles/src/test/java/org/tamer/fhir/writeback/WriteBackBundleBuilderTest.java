package org.tamer.fhir.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.inference.OperatingPoints;
import org.tamer.runtime.testdata.PtbXlRaw;

class WriteBackBundleBuilderTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String PTBXL = EcgCodes.CANONICAL_BASE + "/CodeSystem/ptbxl-statement";
    static final OperatingPoints POINTS = new OperatingPoints(java.util.Map.of("NORM", 0.45, "MI", 0.30,
            "STTC", 0.25, "CD", 0.60, "HYP", 0.10), "test thresholds");
    static final ModelDescriptor MODEL = new ModelDescriptor("tamer-ptbxl", "0.1.0",
            "3f5a0c8e4b7d9a1e2c6f8b0d4e7a9c1b3d5f7e9a0b2c4d6e8f0a1b3c5d7e9f10", Optional.of(
            "https://example.org/model-card"), ModelDescriptor.DEFAULT_INTENDED_USE, POINTS);
    static EcgValidator validator;
    static WriteBackBundleBuilder builder;

    @BeforeAll
    static void setUp() {
        FhirPackage fhirPackage = FhirPackage.load();
        validator = new EcgValidator(FHIR, fhirPackage);
        builder = new WriteBackBundleBuilder(new EcgFhirMapper(new MdcLeadCodes()),
                new ClassTerminology(fhirPackage, FHIR), PTBXL, "NORM");
    }

    static EcgRecord record() {
        return EcgRecord.of("ptbxl-12", EcgSignal.of(500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(12, true)),
                SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/ptbxl-19706");
    }

    static EcgSourceIdentity identity(EcgRecord record) {
        return new EcgSourceIdentity("fhir:urn:example:ecg", Optional.of("urn:example:ecg"), Optional.of(record.id()),
                WaveformDigest.sha256(record.signal()));
    }

    static Bundle build(Diagnosis diagnosis, String waveform) {
        return builder.build(record(), identity(record()), waveform, diagnosis, MODEL,
                Instant.parse("2026-11-24T08:00:00Z"));
    }

    static Diagnosis scores(double norm, double mi, double sttc, double cd, double hyp) {
        return new Diagnosis("ptbxl-12", List.of(new ClassScore("NORM", 0.2, norm), new ClassScore("MI", 0.2, mi),
                new ClassScore("STTC", 0.2, sttc), new ClassScore("CD", 0.2, cd), new ClassScore("HYP", 0.2, hyp)));
    }

    static Diagnosis diagnosis() {
        return new Diagnosis("ptbxl-12", List.of(new ClassScore("NORM", 0.21, 0.38), new ClassScore("MI", 0.43, 0.81),
                new ClassScore("STTC", 0.05, 0.12), new ClassScore("CD", 0.30, 0.55), new ClassScore("HYP", -0.02, 0.09)));
    }

    @Test
    void everyResourceOfTheWriteBackConformsToItsProfile() {
        Bundle bundle = build(diagnosis(), "Observation/wave-12");
        assertEquals(3, bundle.getEntry().size());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertEquals(List.of(), messages(entry.getResource()), entry.getResource().fhirType());
            assertTrue(entry.getRequest().getIfNoneExist().contains("%7C"), "conditional create, URL-encoded");
        }
        Observation result = (Observation) bundle.getEntry().get(1).getResource();
        // MI 0.81 >= 0.30 and CD 0.55 < 0.60: MI is the one abnormal finding; NORM 0.38 < 0.45 is not one
        assertEquals("A", result.getInterpretationFirstRep().getCodingFirstRep().getCode());
        assertEquals(1, result.getValueCodeableConcept().getCoding().size(), "one concept, not a list of findings");
        assertEquals(EcgCodes.SNOMED_ECG_ABNORMAL, result.getValueCodeableConcept().getCodingFirstRep().getCode());
        assertEquals("Abnormal ECG: MI 0.810", result.getValueCodeableConcept().getText());
        assertEquals(List.of("NEG", "POS", "NEG", "NEG", "NEG"), result.getComponent().stream()
                .map(c -> c.getInterpretationFirstRep().getCodingFirstRep().getCode()).toList());
        assertEquals("0.3", result.getComponent().get(1).getExtensionByUrl(EcgCodes.OPERATING_POINT_EXTENSION)
                .getValue().primitiveValue());
        // CD has no verified SNOMED CT code: its component carries the project code only
        assertEquals(1, result.getComponent().get(3).getCode().getCoding().size());
        assertEquals(2, result.getComponent().get(0).getCode().getCoding().size());
        Device device = (Device) bundle.getEntry().get(0).getResource();
        assertTrue(device.getNoteFirstRep().getText().contains("not validated for clinical diagnosis"));
    }

    @Test
    void normalOnlyWhenTheNormalClassIsTheSoleFindingAndIndeterminateWhenNothingClears() {
        Observation normal = (Observation) build(scores(0.50, 0.10, 0.10, 0.10, 0.05), "Observation/w")
                .getEntry().get(1).getResource();
        assertEquals("N", normal.getInterpretationFirstRep().getCodingFirstRep().getCode());
        assertEquals(EcgCodes.SNOMED_ECG_NORMAL, normal.getValueCodeableConcept().getCodingFirstRep().getCode());
        Observation both = (Observation) build(scores(0.50, 0.10, 0.30, 0.10, 0.05), "Observation/w")
                .getEntry().get(1).getResource();
        assertEquals("A", both.getInterpretationFirstRep().getCodingFirstRep().getCode(),
                "NORM and STTC both clear: abnormal");
        Observation none = (Observation) build(scores(0.40, 0.10, 0.10, 0.10, 0.05), "Observation/w")
                .getEntry().get(1).getResource();
        assertEquals("IND", none.getInterpretationFirstRep().getCodingFirstRep().getCode());
        assertTrue(none.getValueCodeableConcept().getCoding().isEmpty());
        for (Observation o : List.of(normal, both, none)) {
            assertEquals(List.of(), messages(o));
        }
    }

    @Test
    void includesTheWaveformWhenTheServerHasNoneAndEverythingValidates() {
        Bundle bundle = build(diagnosis(), null);
        assertEquals(4, bundle.getEntry().size());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertEquals(List.of(), messages(entry.getResource()), entry.getResource().fhirType());
        }
        assertEquals(List.of(), messages(bundle));
        Observation waveform = (Observation) bundle.getEntry().get(1).getResource();
        assertEquals(12, waveform.getComponent().size());
        assertEquals(WriteBackBundleBuilder.WRITE_BACK_TAG_SYSTEM, waveform.getMeta().getTagFirstRep().getSystem(),
                "the copy is tagged, so that a poller of the same server can tell it from a new ECG");
        assertEquals("urn:example:ecg", waveform.getIdentifierFirstRep().getSystem(), "the sender's system is kept");
        assertEquals("ptbxl-12", waveform.getIdentifierFirstRep().getValue());
    }

    @Test
    void aRetryIsTheSameTransaction() {
        String first = FHIR.newJsonParser().encodeResourceToString(build(diagnosis(), "Observation/w"));
        String second = FHIR.newJsonParser().encodeResourceToString(build(diagnosis(), "Observation/w"));
        assertEquals(first, second);
    }

    static List<String> messages(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return validator.errors(resource).stream().map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }
}
