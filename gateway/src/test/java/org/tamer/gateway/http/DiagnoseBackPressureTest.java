package org.tamer.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.gateway.store.StoreSettings;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.gateway.testing.EmbeddedGatewaySettings;

/**
 * {@code POST /fhir/Observation/$diagnose} when the inference queue is full, forced with the real HTTP endpoint, the
 * real micro-batcher and the real model: the batcher's thread is held after a first diagnosis
 * ({@link InferenceGate}), two requests fill the queue of capacity 2, and the fourth is answered 503 with the
 * configured {@code Retry-After} and an OperationOutcome naming the limit. Once the gate opens and the queue drains,
 * the waiting requests and the refused one sent again are diagnosed. With a short lease (3 s) and a diagnosis
 * worker polling the same store, a request waiting for the held model longer than its lease shows whether its
 * message's lease is renewed meanwhile.
 */
class DiagnoseBackPressureTest {

    private static final Duration HANG = Duration.ofMinutes(5);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final PtbXlArchive PTB_XL = new PtbXlArchive(SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);

    @TempDir
    Path directory;

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    private ApplicationContext context;
    private InferenceGate gate;
    private int port;
    private String token;

    /** The gateway with the gate, a queue of 2 and the given lease and number of diagnosis workers. */
    private void start(Duration lease, int diagnosisWorkers) throws Exception {
        port = EmbeddedGatewaySettings.freePort();
        Map<String, Object> settings = EmbeddedGatewaySettings.httpOnly(directory, port);
        settings.put("tamer.model.queue-capacity", 2);
        settings.put("tamer.fhir.retry-after", "7s");
        settings.put("tamer.fhir.diagnose-timeout", "10m");
        settings.put("tamer.test.inference-gate", true);
        settings.put("tamer.store.lease", lease.toMillis() + "ms");
        settings.put("tamer.store.diagnosis-workers", diagnosisWorkers);
        context = ApplicationContext.builder().properties(settings).start();
        context.getBean(EmbeddedServer.class).start();
        StoreSettings store = context.getBean(StoreSettings.class);
        assertEquals(lease, store.lease(), "tamer.store.lease as bound");
        assertEquals(diagnosisWorkers, store.diagnosisWorkers(), "tamer.store.diagnosis-workers as bound");
        gate = context.getBean(InferenceGate.class);
        token = DevelopmentKey.loadOrCreate(directory.resolve("work")).token("back-pressure",
                "system/Observation.cruds", Duration.ofMinutes(30));
    }

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.open();
        }
        if (context != null) {
            context.close();
        }
    }

    private String observation(int ecgId) {
        return fhir.newJsonParser().encodeResourceToString(new EcgFhirMapper(new MdcLeadCodes())
                .toObservation(PTB_XL.read(Integer.toString(ecgId))));
    }

    private HttpRequest diagnose(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/Observation/$diagnose"))
                .timeout(HANG).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(String body) throws IOException, InterruptedException {
        return client.send(diagnose(body), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for a condition; the bound only ends a hang. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + HANG);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Starts the gateway, diagnoses PTB-XL record {@code ecgId} through {@code $diagnose} and holds the model's
     * thread after it: what is submitted next waits in the queue until the gate opens.
     */
    private MicroBatcher startWithModelHeld(Duration lease, int diagnosisWorkers, int ecgId) throws Exception {
        start(lease, diagnosisWorkers);
        gate.shut();
        HttpResponse<String> first = send(observation(ecgId));
        assertEquals(200, first.statusCode(), first.body());
        await("inference thread held after the first diagnosis", gate::holding);
        return context.getBean(MicroBatcher.class);
    }

    @Test
    void aFullQueueIsAnswered503WithRetryAfterAndTheSameRequestSucceedsOnceItDrains() throws Exception {
        MicroBatcher batcher = startWithModelHeld(Duration.ofMinutes(2), 0, 1);

        CompletableFuture<HttpResponse<String>> second = client.sendAsync(diagnose(observation(2)),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> third = client.sendAsync(diagnose(observation(3)),
                HttpResponse.BodyHandlers.ofString());
        await("two ECGs waiting in the queue", () -> batcher.queueDepth() == 2);

        String refusedBody = observation(4);
        HttpResponse<String> refused = send(refusedBody);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("7", refused.headers().firstValue("Retry-After").orElse("(none)"), refused.headers().toString());
        OperationOutcome outcome = fhir.newJsonParser().parseResource(OperationOutcome.class, refused.body());
        String diagnostics = outcome.getIssueFirstRep().getDiagnostics();
        assertEquals(OperationOutcome.IssueType.TRANSIENT, outcome.getIssueFirstRep().getCode());
        assertTrue(diagnostics.contains("tamer.model.queue-capacity) is 2"), diagnostics);
        assertTrue(!second.isDone() && !third.isDone(), "the queued requests wait while inference is held");

        gate.open();
        assertEquals(200, second.get().statusCode(), second.get().body());
        assertEquals(200, third.get().statusCode(), third.get().body());
        await("the queue drained", () -> batcher.queueDepth() == 0);
        HttpResponse<String> again = send(refusedBody);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("\"resourceType\":\"Bundle\""), again.body());
        String message = diagnostics.replaceAll(".*stored as message (\\d+).*", "$1");
        assertEquals("/fhir/Observation/diagnosis-" + message, again.headers().firstValue("Location").orElse(""),
                "the diagnosis of the message stored with the refused request");
    }

    /**
     * A request waits for the held model three times as long as its message's lease while the gateway's own
     * diagnosis worker polls for PARSED messages: the lease is renewed meanwhile, so the worker never takes the
     * message and the model's queue holds this one ECG throughout. Without the renewal the worker claimed the
     * message once the lease ran out and queued it a second time.
     */
    @Test
    void aRequestWaitingLongerThanItsLeaseKeepsItsMessage() throws Exception {
        MicroBatcher batcher = startWithModelHeld(LEASE, 1, 5);

        CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(diagnose(observation(6)),
                HttpResponse.BodyHandlers.ofString());
        await("the ECG waiting in the queue", () -> batcher.queueDepth() == 1);
        long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
        int deepest = 0;
        while (System.nanoTime() < until) {
            deepest = Math.max(deepest, batcher.queueDepth());
            Thread.sleep(20);
        }
        assertEquals(1, deepest, "ECGs queued for the model while one request waited three leases");

        gate.open();
        HttpResponse<String> answered = waiting.get();
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.body().contains("\"resourceType\":\"Bundle\""), answered.body());
    }
}
