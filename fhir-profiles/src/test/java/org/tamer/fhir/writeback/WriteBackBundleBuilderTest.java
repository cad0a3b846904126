package org.tamer.fhir.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
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
import org.tamer.runtime.testdata.PtbXlRaw;

class WriteBackBundleBuilderTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String PTBXL = EcgCodes.CANONICAL_BASE + "/CodeSystem/ptbxl-statement";
    static final ModelDescriptor MODEL = new ModelDescriptor("tamer-ptbxl", "0.1.0",
            "3f5a0c8e4b7d9a1e2c6f8b0d4e7a9c1b3d5f7e9a0b2c4d6e8f0a1b3c5d7e9f10", Optional.of(
            "https://example.org/model-card"));
    static EcgValidator validator;
    static WriteBackBundleBuilder builder;

    @BeforeAll
    static void setUp() {
        FhirPackage fhirPackage = FhirPackage.load();
        validator = new EcgValidator(FHIR, fhirPackage);
        builder = new WriteBackBundleBuilder(new EcgFhirMapper(new MdcLeadCodes()),
                new ClassTerminology(fhirPackage, FHIR), PTBXL, "NORM", 3);
    }

    static EcgRecord record() {
        return EcgRecord.of("ptbxl-12", EcgSignal.of(500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(12, true)),
                SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/ptbxl-19706");
    }

    static Diagnosis diagnosis() {
        return new Diagnosis("ptbxl-12", List.of(new ClassScore("NORM", 0.21, 0.38), new ClassScore("MI", 0.43, 0.81),
                new ClassScore("STTC", 0.05, 0.12), new ClassScore("CD", 0.30, 0.55), new ClassScore("HYP", -0.02, 0.09)));
    }

    @Test
    void everyResourceOfTheWriteBackConformsToItsProfile() {
        Bundle bundle = builder.build(record(), "Observation/wave-12", diagnosis(), MODEL,
                Instant.parse("2026-11-24T08:00:00Z"));
        assertEquals(3, bundle.getEntry().size());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertEquals(List.of(), messages(entry.getResource()), entry.getResource().fhirType());
            assertTrue(entry.getRequest().getIfNoneExist().contains("|"), "conditional create");
        }
        Observation result = (Observation) bundle.getEntry().get(1).getResource();
        assertEquals("A", result.getInterpretationFirstRep().getCodingFirstRep().getCode());
        assertEquals("164865005", result.getValueCodeableConcept().getCodingFirstRep().getCode(),
                "MI, the top finding, as its SNOMED CT code");
        assertEquals("MI 0.810; CD 0.550; NORM 0.380", result.getValueCodeableConcept().getText());
        // CD has no verified SNOMED CT code: its component carries the project code only
        assertEquals(1, result.getComponent().get(3).getCode().getCoding().size());
        assertEquals(2, result.getComponent().get(0).getCode().getCoding().size());
    }

    @Test
    void includesTheWaveformWhenTheServerHasNoneAndEverythingValidates() {
        Bundle bundle = builder.build(record(), null, diagnosis(), MODEL, Instant.parse("2026-11-24T08:00:00Z"));
        assertEquals(4, bundle.getEntry().size());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertEquals(List.of(), messages(entry.getResource()), entry.getResource().fhirType());
        }
        assertEquals(List.of(), messages(bundle));
        Observation waveform = (Observation) bundle.getEntry().get(1).getResource();
        assertEquals(12, waveform.getComponent().size());
        assertEquals(WriteBackBundleBuilder.WRITE_BACK_TAG_SYSTEM, waveform.getMeta().getTagFirstRep().getSystem(),
                "the copy is tagged, so that a poller of the same server can tell it from a new ECG");
    }

    @Test
    void aRetryIsTheSameTransaction() {
        Instant issued = Instant.parse("2026-11-24T08:00:00Z");
        String first = FHIR.newJsonParser().encodeResourceToString(builder.build(record(), "Observation/w", diagnosis(),
                MODEL, issued));
        String second = FHIR.newJsonParser().encodeResourceToString(builder.build(record(), "Observation/w",
                diagnosis(), MODEL, issued));
        assertEquals(first, second);
    }

    static List<String> messages(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return validator.errors(resource).stream().map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }
}
