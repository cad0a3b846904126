package org.tamer.fhir.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

class EcgValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static EcgValidator validator;

    @BeforeAll
    static void build() {
        validator = new EcgValidator(FHIR, FhirPackage.load());
    }

    @Test
    void aWaveformObservationOfARealRecordConformsToTheProfile() {
        EcgRecord record = EcgRecord.of("ptbxl-8", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(8, true)), SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/p8");
        Observation observation = new EcgFhirMapper(new MdcLeadCodes()).toObservation(record);
        assertEquals(List.of(), messages(validator.errors(observation)));
    }

    @Test
    void ignoringSampleValuesStillFindsStructuralErrorsAndLeavesTheResourceAlone() {
        EcgRecord record = EcgRecord.of("ptbxl-9", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(9, true)), SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/p9");
        Observation observation = new EcgFhirMapper(new MdcLeadCodes()).toObservation(record);
        String firstLead = observation.getComponentFirstRep().getValueSampledData().getData();
        assertEquals(List.of(), messages(validator.errorsIgnoringSampleValues(observation)));
        assertEquals(firstLead, observation.getComponentFirstRep().getValueSampledData().getData(),
                "the resource itself keeps all its samples");

        Observation wrongUnit = observation.copy();
        wrongUnit.getComponent().get(3).getValueSampledData().getOrigin().setCode("kg");
        List<String> unitErrors = messages(validator.errorsIgnoringSampleValues(wrongUnit));
        assertEquals(messages(validator.errors(wrongUnit)), unitErrors, "same verdict as the full validation");
        assertTrue(!unitErrors.isEmpty(), "a non-voltage origin must be an error");

        Observation twoDimensions = observation.copy();
        twoDimensions.getComponentFirstRep().getValueSampledData().setDimensions(2);
        assertTrue(!validator.errorsIgnoringSampleValues(twoDimensions).isEmpty(), "dimensions must be 1");

        org.hl7.fhir.r4.model.Bundle bundle = new org.hl7.fhir.r4.model.Bundle()
                .setType(org.hl7.fhir.r4.model.Bundle.BundleType.COLLECTION);
        bundle.addEntry().setFullUrl("urn:uuid:7c1d2c1e-8f0e-4d1a-9a57-1d2a3b4c5d6e").setResource(wrongUnit);
        assertEquals(messages(validator.errors(bundle)).size(),
                messages(validator.errorsIgnoringSampleValues(bundle)).size(), "inside a Bundle too");
        assertTrue(!validator.errorsIgnoringSampleValues(bundle).isEmpty());

        Observation badFirstSample = observation.copy();
        badFirstSample.getComponentFirstRep().getValueSampledData().setData("1.2.3 " + firstLead);
        assertEquals(messages(validator.errors(badFirstSample)),
                messages(validator.errorsIgnoringSampleValues(badFirstSample)),
                "the values that are kept get whatever checks the full validation gives them");
    }

    @Test
    void thePackageLoadsAsAnNpmPackage() throws Exception {
        NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(FhirPackage.load().tarball()));
        assertEquals("org.tamer.ecg", npm.name());
        assertEquals("4.0.1", npm.fhirVersion());
        List<String> profiles = npm.listResources("StructureDefinition");
        assertTrue(profiles.contains("StructureDefinition-ecg-waveform.json"), profiles.toString());
        assertTrue(profiles.contains("StructureDefinition-operating-point.json"), profiles.toString());
        assertEquals(20, npm.listResources("StructureDefinition", "CodeSystem", "ValueSet", "ConceptMap").size());
    }

    static List<String> messages(List<ca.uhn.fhir.validation.SingleValidationMessage> errors) {
        return errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }
}
