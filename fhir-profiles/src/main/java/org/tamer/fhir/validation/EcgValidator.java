package org.tamer.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.tamer.fhir.terminology.FhirPackage;

/**
 * HAPI's instance validator over the base FHIR R4 package and this project's package, fully offline: no
 * terminology server is contacted (codes from SNOMED CT, LOINC and MDC are not expanded, which the validator
 * reports as information, not errors). Used on inbound resources and before every write-back. Thread-safe; build
 * one and share it (building takes a few seconds).
 */
public final class EcgValidator {

    /** How many values of each SampledData {@link #errorsIgnoringSampleValues} keeps. */
    public static final int SAMPLE_VALUES_CHECKED = 16;

    private final FhirContext context;
    private final FhirValidator validator;

    public EcgValidator(FhirContext context, FhirPackage fhirPackage) {
        this.context = context;
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(context);
        for (IBaseResource resource : fhirPackage.resources(context)) {
            ours.addResource(resource);
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                ours,
                new DefaultProfileValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setNoTerminologyChecks(false);
        this.validator = context.newValidator().registerValidatorModule(instanceValidator);
    }

    /** Validates against the profiles the resource claims (and the base R4 definitions). */
    public OperationOutcome validate(IBaseResource resource) {
        return (OperationOutcome) validator.validateWithResult(resource).toOperationOutcome();
    }

    /** The error and fatal messages only; empty when the resource conforms. */
    public List<SingleValidationMessage> errors(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    /**
     * Like {@link #errors}, but on a copy in which every SampledData keeps only its first
     * {@value #SAMPLE_VALUES_CHECKED} values; everything else, the SampledData's origin, period, dimensions and
     * units included, is validated as usual. For resources whose samples this project wrote itself from finite
     * numbers (the write-back Bundle). HAPI's validator checks {@code SampledData.data} only as a string (it accepts
     * {@code "1.2.3"}, see EcgValidatorTest), yet doing so for the 60,000 values of a 12-lead ECG costs as much time
     * as the model and about 200 MiB of garbage per ECG (docs/benchmarks.md); the verdict is the same.
     */
    public List<SingleValidationMessage> errorsIgnoringSampleValues(Resource resource) {
        Resource copy = resource.copy();
        List<Resource> resources = new ArrayList<>(List.of(copy));
        if (copy instanceof Bundle bundle) {
            bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(entry -> resources.add(entry.getResource()));
        }
        for (Resource each : resources) {
            for (SampledData data : context.newTerser().getAllPopulatedChildElementsOfType(each, SampledData.class)) {
                if (data.hasData()) {
                    data.setData(firstValues(data.getData()));
                }
            }
        }
        return errors(copy);
    }

    private static String firstValues(String data) {
        int end = 0;
        for (int values = 0; values < SAMPLE_VALUES_CHECKED && end >= 0; values++) {
            end = data.indexOf(' ', end + 1);
        }
        return end < 0 ? data : data.substring(0, end);
    }

    public FhirContext context() {
        return context;
    }
}
