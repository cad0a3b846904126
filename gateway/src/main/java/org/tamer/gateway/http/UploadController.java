package org.tamer.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.tamer.gateway.pipeline.FhirIntake;

/**
 * {@code POST /upload?name=FILE}: an ECG file from a cart or an archive (DICOM 12-lead waveform, HL7 aECG, Philips
 * SierraECG, GE MUSE XML, or a WFDB record as one zip of its header and signal files), recognised by its content
 * and read from the request's bytes alone, stored and diagnosed like any other message. Answers 201
 * with the message id, or 422 naming the file, the element and the reason.
 */
@Controller("/upload")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class UploadController {

    private final FhirIntake intake;
    private final OperationOutcomes outcomes;

    public UploadController(FhirIntake intake, OperationOutcomes outcomes) {
        this.intake = intake;
        this.outcomes = outcomes;
    }

    @Post(value = "{?name}", consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_XML,
            MediaType.TEXT_XML, "application/dicom", "application/zip"})
    @Produces({MediaType.APPLICATION_JSON, OperationOutcomes.FHIR_JSON})
    public HttpResponse<String> upload(@Body byte[] body, @Nullable @QueryValue String name, HttpRequest<?> request) {
        FhirIntake.Outcome outcome = intake.acceptUpload(body, name == null ? "upload" : name,
                request.getRemoteAddress().getAddress().getHostAddress());
        if (outcome.problem().isPresent()) {
            return outcomes.response(HttpStatus.valueOf(outcome.status()), "processing", outcome.problem().get()
                    + " (stored as message " + outcome.messageId() + ")", outcome.expression().orElse(null));
        }
        return HttpResponse.<String>status(outcome.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Location", FhirController.location(outcome.messageId()))
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"message\":" + outcome.messageId() + ",\"record\":\""
                        + outcome.record().map(r -> r.id().replace("\"", "'")).orElse("") + "\"}");
    }
}
