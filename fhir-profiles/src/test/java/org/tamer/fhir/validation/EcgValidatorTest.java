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

    /**
     * Independent oracle: the FHIR R4 specification itself, where SampledData.origin and SampledData.period are
     * 1..1 in the base datatype. Each fault is placed in one known lead (component index 4) of an otherwise
     * conforming record of a real PTB-XL ECG, and the error must name exactly that element at exactly that index,
     * and no other component. (HAPI does not check the syntax of SampledData.data tokens nor lowerLimit/upperLimit,
     * see {@link EcgValidator#errorsIgnoringSampleValues}; those are not claimed here.)
     */
    @Test
    void aMissingRequiredElementIsReportedAtExactlyThatElement() {
        EcgRecord record = EcgRecord.of("ptbxl-10", EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(10, true)), SourceMetadata.of("PTB-XL", null)).withSubjectReference("Patient/p10");
        Observation observation = new EcgFhirMapper(new MdcLeadCodes()).toObservation(record);
        assertEquals(List.of(), messages(validator.errors(observation)));
        String lead4 = "Observation.component[4].value.ofType(SampledData)";

        Observation noPeriod = observation.copy();
        noPeriod.getComponent().get(4).getValueSampledData().setPeriodElement(null);
        List<ca.uhn.fhir.validation.SingleValidationMessage> periodErrors = validator.errors(noPeriod);
        assertEquals(1, periodErrors.size(), messages(periodErrors).toString());
        assertEquals(lead4, periodErrors.get(0).getLocationString());
        assertTrue(periodErrors.get(0).getMessage().startsWith("SampledData.period: minimum required = 1"),
                periodErrors.get(0).getMessage());

        Observation noOrigin = observation.copy();
        noOrigin.getComponent().get(4).getValueSampledData().setOrigin(null);
        List<ca.uhn.fhir.validation.SingleValidationMessage> originErrors = validator.errors(noOrigin);
        assertTrue(originErrors.stream().anyMatch(m -> m.getLocationString().equals(lead4)
                && m.getMessage().startsWith("SampledData.origin: minimum required = 1")),
                messages(originErrors).toString());
        assertTrue(originErrors.stream().map(m -> m.getLocationString())
                .filter(location -> location.startsWith("Observation.component["))
                .allMatch(lead4::equals), "only lead index 4 is named: " + messages(originErrors));

        Observation otherLead = observation.copy();
        otherLead.getComponent().get(7).getValueSampledData().setPeriodElement(null);
        assertEquals(List.of("Observation.component[7].value.ofType(SampledData)"),
                validator.errors(otherLead).stream().map(m -> m.getLocationString()).toList());
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
