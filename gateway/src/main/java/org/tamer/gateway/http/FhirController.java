package org.tamer.gateway.http;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.model.BackPressureException;
import org.tamer.gateway.pipeline.FhirIntake;
import org.tamer.gateway.pipeline.MessageSourceUri;
import org.tamer.gateway.pipeline.SynchronousDiagnosis;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;

/**
 * The gateway's FHIR R4 endpoint under {@code /fhir}: the CapabilityStatement, ECG intake ({@code POST Observation},
 * {@code POST Bundle}: stored, diagnosed later, 201), synchronous {@code Observation/$diagnose}, and reads of the
 * diagnoses it made ({@code GET Observation/diagnosis-N}, {@code GET Observation?_source=...}), which is where
 * results live when no FHIR server is configured.
 */
@Controller("/fhir")
@Produces({OperationOutcomes.FHIR_JSON, "application/json"})
@ExecuteOn(TaskExecutors.BLOCKING)
public final class FhirController {

    private static final String FHIR_JSON = OperationOutcomes.FHIR_JSON;

    private final FhirIntake intake;
    private final SynchronousDiagnosis synchronous;
    private final MessageStore store;
    private final FhirContext context;
    private final OperationOutcomes outcomes;
    private final String retryAfter;

    /**
     * @param retryAfter what a 503 for a full inference queue asks the client to wait ({@code Retry-After}, whole
     *                   seconds, at least 1)
     */
    public FhirController(FhirIntake intake, SynchronousDiagnosis synchronous, MessageStore store, FhirContext context,
                          OperationOutcomes outcomes, @Value("${tamer.fhir.retry-after:1s}") Duration retryAfter) {
        this.intake = intake;
        this.synchronous = synchronous;
        this.store = store;
        this.context = context;
        this.outcomes = outcomes;
        this.retryAfter = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    @Get("/metadata")
    public HttpResponse<String> metadata() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.getSoftware().setName("TAMER ECG gateway");
        cs.setDate(new java.util.Date());
        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest()
                .setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.getSecurity().addService().addCoding().setSystem(
                "http://terminology.hl7.org/CodeSystem/restful-security-service").setCode("SMART-on-FHIR");
        rest.getSecurity().setDescription("OAuth2 bearer JWT; scopes system/Observation.read and "
                + "system/Observation.write (SMART v1 or v2)");
        CapabilityStatement.CapabilityStatementRestResourceComponent observation = rest.addResource()
                .setType("Observation");
        observation.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.CREATE);
        observation.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        observation.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        observation.addSearchParam().setName("_source").setType(Enumerations.SearchParamType.URI);
        observation.addSearchInclude("Observation:device");
        observation.addOperation().setName("diagnose").setDefinition(
                "https://tamer-ecg.org/fhir/OperationDefinition/Observation-diagnose");
        rest.addResource().setType("Bundle").addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.CREATE);
        return HttpResponse.ok(context.newJsonParser().encodeResourceToString(cs)).contentType(FHIR_JSON);
    }

    @Post(value = "/Observation", processes = {FHIR_JSON, "application/json"})
    public HttpResponse<String> createObservation(@Body String body, HttpRequest<?> request) {
        return accepted(body, request, "Observation");
    }

    @Post(value = "/Bundle", processes = {FHIR_JSON, "application/json"})
    public HttpResponse<String> createBundle(@Body String body, HttpRequest<?> request) {
        return accepted(body, request, "Bundle");
    }

    @Post(value = "/Observation/$diagnose", processes = {FHIR_JSON, "application/json"})
    public HttpResponse<String> diagnose(@Body String body, HttpRequest<?> request) {
        FhirIntake.Outcome outcome = intake.acceptResource(body, remote(request), Optional.of(synchronous.lease()));
        if (outcome.problem().isPresent()) {
            return problem(outcome);
        }
        if (outcome.duplicate()) {
            Optional<String> done = store.find(outcome.messageId()).flatMap(StoredMessage::diagnosis);
            if (done.isPresent()) {
                return HttpResponse.ok(done.get()).contentType(FHIR_JSON).header("Location",
                        location(outcome.messageId()));
            }
        }
        try {
            String bundle = synchronous.diagnose(outcome.messageId(), outcome.controlId(),
                    body.getBytes(StandardCharsets.UTF_8), outcome.record().orElseThrow());
            return HttpResponse.ok(bundle).contentType(FHIR_JSON).header("Location", location(outcome.messageId()));
        } catch (BackPressureException e) {
            return outcomes.response(HttpStatus.SERVICE_UNAVAILABLE, "transient", e.getMessage()
                    + "; the ECG is stored as message " + outcome.messageId() + " and will be diagnosed later")
                    .header("Retry-After", retryAfter);
        } catch (TimeoutException e) {
            return outcomes.response(HttpStatus.SERVICE_UNAVAILABLE, "timeout", "no diagnosis in time; the ECG is "
                    + "stored as message " + outcome.messageId() + " and will be diagnosed later");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BackPressureException) {
                return outcomes.response(HttpStatus.SERVICE_UNAVAILABLE, "transient", cause.getMessage())
                        .header("Retry-After", retryAfter);
            }
            return outcomes.response(HttpStatus.UNPROCESSABLE_ENTITY, "processing", "diagnosis failed: "
                    + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcomes.response(HttpStatus.SERVICE_UNAVAILABLE, "transient", "interrupted");
        }
    }

    @Get("/Observation/{id}")
    public HttpResponse<String> read(@PathVariable String id) {
        if (!id.startsWith("diagnosis-")) {
            return outcomes.response(HttpStatus.NOT_FOUND, "not-found", "Observation/" + id + " is not known here");
        }
        long messageId;
        try {
            messageId = Long.parseLong(id.substring("diagnosis-".length()));
        } catch (NumberFormatException e) {
            return outcomes.response(HttpStatus.NOT_FOUND, "not-found", "Observation/" + id + " is not known here");
        }
        return store.find(messageId).map(m -> diagnosisObservation(m).orElseGet(() -> pending(m)))
                .<HttpResponse<String>>map(o -> HttpResponse.ok(context.newJsonParser().encodeResourceToString(o))
                        .contentType(FHIR_JSON))
                .orElseGet(() -> outcomes.response(HttpStatus.NOT_FOUND, "not-found", "Observation/" + id
                        + " does not exist"));
    }

    @Get("/Observation{?_source,_include}")
    public HttpResponse<String> search(@Nullable @QueryValue("_source") String source,
                                       @Nullable @QueryValue("_include") String include) {
        boolean includeDevice = false;
        if (include != null) {
            if (!include.equals("Observation:device")) {
                return outcomes.response(HttpStatus.BAD_REQUEST, "not-supported", "_include supports "
                        + "Observation:device only, not " + include, "_include");
            }
            includeDevice = true;
        }
        Bundle result = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        List<StoredMessage> messages;
        if (source != null) {
            String prefix = "urn:tamer:message:";
            if (!source.startsWith(prefix) || source.indexOf(':', prefix.length()) < 0) {
                return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", "_source must be "
                        + "urn:tamer:message:CHANNEL:CONTROL_ID", "_source");
            }
            String rest = source.substring(prefix.length());
            Channel channel;
            try {
                channel = Channel.valueOf(rest.substring(0, rest.indexOf(':')));
            } catch (IllegalArgumentException e) {
                return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", "unknown channel in _source " + source,
                        "_source");
            }
            String controlId;
            try {
                controlId = MessageSourceUri.controlId(rest.substring(rest.indexOf(':') + 1));
            } catch (IllegalArgumentException e) {
                return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", e.getMessage(), "_source");
            }
            messages = store.findByControlId(channel, controlId);
        } else {
            messages = store.diagnosed(100);
        }
        java.util.Set<String> included = new java.util.HashSet<>();
        int matches = 0;
        for (StoredMessage m : messages) {
            Optional<Observation> found = diagnosisObservation(m);
            if (found.isEmpty()) {
                continue;
            }
            Observation o = found.get();
            result.addEntry().setFullUrl("Observation/" + o.getIdPart()).setResource(o).getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH);
            matches++;
            if (includeDevice) {
                modelDevice(m).filter(d -> included.add(d.getIdPart())).ifPresent(d -> result.addEntry()
                        .setFullUrl("Device/" + d.getIdPart()).setResource(d).getSearch()
                        .setMode(Bundle.SearchEntryMode.INCLUDE));
            }
        }
        result.setTotal(matches);
        return HttpResponse.ok(context.newJsonParser().encodeResourceToString(result)).contentType(FHIR_JSON);
    }

    /**
     * Where every intake endpoint ({@code POST Observation}, {@code POST Bundle}, {@code $diagnose},
     * {@code /upload}) points: the diagnosis Observation of the stored message, which {@link #read} serves from
     * the moment the message is stored.
     */
    public static String location(long messageId) {
        return "/fhir/Observation/diagnosis-" + messageId;
    }

    /**
     * The diagnosis Observation of a message that has none yet: {@code registered} while it waits for the model,
     * {@code cancelled} with the reason when it failed for good.
     */
    private static Observation pending(StoredMessage m) {
        Observation o = new Observation();
        o.setId("diagnosis-" + m.id());
        o.getCode().addCoding().setSystem(EcgCodes.LOINC).setCode(EcgCodes.LOINC_EKG_IMPRESSION)
                .setDisplay("EKG impression");
        boolean ended = m.state() == MessageState.FAILED || m.state() == MessageState.DEAD;
        o.setStatus(ended ? Observation.ObservationStatus.CANCELLED : Observation.ObservationStatus.REGISTERED);
        o.addNote().setText(ended ? "no diagnosis: " + m.failureReason().orElse(m.state().name())
                : "stored as message " + m.id() + "; waiting for diagnosis");
        return o;
    }

    private Optional<Observation> diagnosisObservation(StoredMessage m) {
        if (m.diagnosis().isEmpty()) {
            return Optional.empty();
        }
        Bundle bundle = context.newJsonParser().parseResource(Bundle.class, m.diagnosis().get());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Observation o && WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(
                    o.getIdentifierFirstRep().getSystem())) {
                o.setId("diagnosis-" + m.id());
                deviceId(bundle, o.getDevice().getReference()).ifPresent(id -> o.getDevice()
                        .setReference("Device/" + id));
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The model Device of a stored diagnosis, with the id its diagnosis Observation refers to. */
    private Optional<Device> modelDevice(StoredMessage m) {
        if (m.diagnosis().isEmpty()) {
            return Optional.empty();
        }
        Bundle bundle = context.newJsonParser().parseResource(Bundle.class, m.diagnosis().get());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Device d) {
                return deviceId(bundle, entry.getFullUrl()).map(id -> {
                    d.setId(id);
                    return d;
                });
            }
        }
        return Optional.empty();
    }

    /**
     * The id a model Device has in search results ({@code model-} and its parameters hash), for the write-back
     * Bundle's entry {@code fullUrl}; empty when that entry is not a Device.
     */
    private static Optional<String> deviceId(Bundle bundle, String fullUrl) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Device d && entry.getFullUrl() != null
                    && entry.getFullUrl().equals(fullUrl)) {
                return d.getIdentifier().stream().filter(i -> WriteBackBundleBuilder.DEVICE_IDENTIFIER_SYSTEM
                        .equals(i.getSystem())).map(i -> "model-" + i.getValue().substring(0,
                        Math.min(16, i.getValue().length()))).findFirst();
            }
        }
        return Optional.empty();
    }

    private HttpResponse<String> accepted(String body, HttpRequest<?> request, String type) {
        FhirIntake.Outcome outcome = intake.acceptResource(body, remote(request), Optional.empty());
        if (outcome.problem().isPresent()) {
            return problem(outcome);
        }
        return outcomes.information(outcome.duplicate() ? HttpStatus.OK : HttpStatus.CREATED, "stored as message "
                + outcome.messageId() + " (" + type + "); its diagnosis will be Observation/diagnosis-"
                + outcome.messageId()).header("Location", location(outcome.messageId()));
    }

    private HttpResponse<String> problem(FhirIntake.Outcome outcome) {
        HttpStatus status = HttpStatus.valueOf(outcome.status());
        return outcomes.response(status, status == HttpStatus.BAD_REQUEST ? "structure" : "processing",
                outcome.problem().orElseThrow() + " (stored as message " + outcome.messageId() + ")",
                outcome.expression().orElse(null));
    }

    private static String remote(HttpRequest<?> request) {
        return request.getRemoteAddress().getAddress().getHostAddress();
    }
}
