package org.tamer.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.tamer.fhir.terminology.FhirPackage;

/**
 * HAPI's instance validator over the base FHIR R4 package and this project's package, fully offline: no
 * terminology server is contacted (codes from SNOMED CT, LOINC and MDC are not expanded, which the validator
 * reports as information, not errors). Used on inbound resources and before every write-back. Thread-safe; build
 * one and share it (building takes a few seconds).
 */
public final class EcgValidator {

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

    public FhirContext context() {
        return context;
    }
}
