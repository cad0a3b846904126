package org.tamer.gateway.http;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.Objects;
import org.hl7.fhir.r4.model.OperationOutcome;

/** FHIR OperationOutcome responses with the right HTTP status. */
public final class OperationOutcomes {

    public static final String FHIR_JSON = "application/fhir+json";

    private final FhirContext context;

    public OperationOutcomes(FhirContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    public MutableHttpResponse<String> response(HttpStatus status, String issueCode, String diagnostics) {
        return response(status, issueCode, diagnostics, null);
    }

    /** A success answered with an informational OperationOutcome (e.g. 201 for a stored ECG). */
    public MutableHttpResponse<String> information(HttpStatus status, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(diagnostics);
        return HttpResponse.<String>status(status).contentType(FHIR_JSON)
                .body(context.newJsonParser().encodeResourceToString(outcome));
    }

    /** @param expression the FHIRPath or HL7 location of the problem, or null */
    public MutableHttpResponse<String> response(HttpStatus status, String issueCode, String diagnostics,
                                                String expression) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(status.getCode() >= 500 ? OperationOutcome.IssueSeverity.FATAL
                        : OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.fromCode(issueCode))
                .setDiagnostics(diagnostics);
        if (expression != null) {
            issue.addExpression(expression);
        }
        return HttpResponse.<String>status(status).contentType(FHIR_JSON)
                .body(context.newJsonParser().encodeResourceToString(outcome));
    }
}
