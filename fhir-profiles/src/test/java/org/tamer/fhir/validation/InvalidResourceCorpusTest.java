package org.tamer.fhir.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.writeback.ModelDescriptor;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * A corpus of invalid resources, each a valid resource built from a real PTB-XL record with one defect: each
 * must fail validation with an error naming the broken rule.
 */
class InvalidResourceCorpusTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static EcgValidator validator;
    private static Bundle writeBack;

    @BeforeAll
    static void setUp() {
        FhirPackage fhirPackage = FhirPackage.load();
        validator = new EcgValidator(FHIR, fhirPackage);
        EcgRecord record = EcgRecord.of("ptbxl-21", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(21, true)), SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/x");
        Diagnosis diagnosis = new Diagnosis("ptbxl-21", List.of(new ClassScore("NORM", 0.4, 0.8),
                new ClassScore("MI", 0.1, 0.2)));
        writeBack = new WriteBackBundleBuilder(new EcgFhirMapper(new MdcLeadCodes()),
                new ClassTerminology(fhirPackage, FHIR), EcgCodes.CANONICAL_BASE + "/CodeSystem/ptbxl-statement",
                "NORM").build(record, new org.tamer.fhir.writeback.EcgSourceIdentity("test", Optional.empty(),
                Optional.of(record.id()), org.tamer.fhir.writeback.WaveformDigest.sha256(record.signal())), null,
                diagnosis, new ModelDescriptor("tamer", "1", "a".repeat(64),
                Optional.empty()), Instant.parse("2026-11-24T00:00:00Z"));
    }

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        // ECG waveform Observation
        waveform(cases, "code without MDC 131328", o -> o.getCode().getCoding().remove(0), "ecgw-1");
        waveform(cases, "lead component without MDC coding", o -> o.getComponent().get(3).getCode().getCodingFirstRep()
                .setSystem("http://loinc.org"), "ecgw-2");
        waveform(cases, "origin in microvolts", o -> sampled(o, 0).getOrigin().setCode("uV").setUnit("uV"), "ecgw-3");
        waveform(cases, "two dimensions", o -> sampled(o, 5).setDimensions(2), "ecgw-3");
        waveform(cases, "no category", o -> o.getCategory().clear(), "Observation.category");
        waveform(cases, "laboratory category", o -> o.getCategoryFirstRep().getCodingFirstRep().setCode("laboratory"),
                "Observation.category");
        waveform(cases, "no waveform components", o -> o.getComponent().forEach(c -> c.setValue(new Quantity(1))),
                "ecgw-4");
        waveform(cases, "no status", o -> o.setStatus(null), "Observation.status");
        waveform(cases, "no period", o -> sampled(o, 2).setPeriodElement(null), "period");
        waveform(cases, "no origin", o -> sampled(o, 7).setOrigin(null), "origin");
        // AI ECG diagnosis Observation
        diagnosis(cases, "not labelled AI-asserted", o -> o.getMeta().getSecurity().clear(), "ecgd-1");
        diagnosis(cases, "status final", o -> o.setStatus(Observation.ObservationStatus.FINAL), "preliminary");
        diagnosis(cases, "code not EKG impression", o -> o.getCode().getCodingFirstRep().setCode("11524-6"), "8601-7");
        diagnosis(cases, "no device", o -> o.setDevice(null), "Observation.device");
        diagnosis(cases, "not derived from a waveform", o -> o.getDerivedFrom().clear(), "Observation.derivedFrom");
        diagnosis(cases, "probability above one", o -> o.getComponentFirstRep().getValueQuantity()
                .setValue(new BigDecimal("1.5")), "ecgd-2");
        diagnosis(cases, "no zero-shot score", o -> o.getComponentFirstRep().getExtension().clear(), "ecgd-2");
        diagnosis(cases, "no interpretation", o -> o.getInterpretation().clear(), "Observation.interpretation");
        diagnosis(cases, "no findings value", o -> o.setValue(null), "Observation.value[x]");
        diagnosis(cases, "class value as text", o -> o.getComponentFirstRep().setValue(new StringType("0.8")),
                "Observation.component");
        diagnosis(cases, "unknown interpretation code", o -> o.getInterpretationFirstRep().getCodingFirstRep()
                .setCode("maybe"), "maybe");
        // model Device
        resource(cases, "Device", "device without identifier", r -> ((Device) r).getIdentifier().clear(),
                "Device.identifier");
        resource(cases, "Device", "device identifier of another system", r -> ((Device) r).getIdentifierFirstRep()
                .setSystem("urn:other"), "ecgm-1");
        resource(cases, "Device", "device without version", r -> ((Device) r).getVersion().clear(), "Device.version");
        // Provenance
        resource(cases, "Provenance", "no entity", r -> ((Provenance) r).getEntity().clear(), "Provenance.entity");
        resource(cases, "Provenance", "entity not the source", r -> ((Provenance) r).getEntityFirstRep()
                .setRole(Provenance.ProvenanceEntityRole.DERIVATION), "ecgp-2");
        resource(cases, "Provenance", "agent is a patient", r -> ((Provenance) r).getAgentFirstRep()
                .setWho(new Reference("Patient/x")), "ecgp-1");
        resource(cases, "Provenance", "no target", r -> ((Provenance) r).getTarget().clear(), "Provenance.target");
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void failsWithTheExpectedMessage(String name, IBaseResource resource, String expected) {
        List<String> errors = validator.errors(resource).stream()
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)),
                name + ": expected an error mentioning '" + expected + "', got " + errors);
    }

    private static void waveform(List<Arguments> cases, String name, Consumer<Observation> defect, String expected) {
        resource(cases, "waveform", name, r -> defect.accept((Observation) r), expected);
    }

    private static void diagnosis(List<Arguments> cases, String name, Consumer<Observation> defect, String expected) {
        resource(cases, "diagnosis", name, r -> defect.accept((Observation) r), expected);
    }

    private static void resource(List<Arguments> cases, String kind, String name, Consumer<Resource> defect,
                                 String expected) {
        Resource copy = pick(kind).copy();
        defect.accept(copy);
        cases.add(Arguments.of(kind + ": " + name, copy, expected));
    }

    private static Resource pick(String kind) {
        for (Bundle.BundleEntryComponent entry : writeBack.getEntry()) {
            Resource r = entry.getResource();
            boolean match = switch (kind) {
                case "waveform" -> r instanceof Observation o && o.getMeta().hasProfile(EcgCodes.WAVEFORM_PROFILE);
                case "diagnosis" -> r instanceof Observation o && o.getMeta().hasProfile(EcgCodes.DIAGNOSIS_PROFILE);
                default -> r.fhirType().equals(kind);
            };
            if (match) {
                return r;
            }
        }
        throw new IllegalStateException("no " + kind + " in the write-back bundle");
    }

    private static SampledData sampled(Observation o, int component) {
        return o.getComponent().get(component).getValueSampledData();
    }
}
