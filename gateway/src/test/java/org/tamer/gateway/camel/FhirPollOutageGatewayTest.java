package org.tamer.gateway.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.security.DevelopmentKey;
import org.tamer.gateway.security.Scopes;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageStore;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.gateway.testing.EmbeddedGatewaySettings;

/**
 * A real outage of the polled FHIR server, seen from the running gateway: the server is stopped (its port closed)
 * when the gateway starts polling it, the failed polls show in {@code /prometheus}
 * ({@code tamer_fhir_poll_failed}) while nothing completes; an ECG Observation added during the outage is stored
 * exactly once after the server is back, and completed polls are counted again.
 */
class FhirPollOutageGatewayTest {

    private static final Duration STALL = Duration.ofMinutes(3);
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(tamer_fhir_poll_\\w+)\\S*\\s+([0-9.eE+-]+)$");

    @TempDir
    Path directory;

    private final EcgObservationServer server = new EcgObservationServer();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    private ApplicationContext context;
    private int port;
    private String token;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        server.close();
    }

    /** The gateway's fhir-poll counters, from its Prometheus scrape. */
    private Map<String, Double> pollMetrics() {
        try {
            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/prometheus")).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode(), scrape.body());
            Map<String, Double> values = new HashMap<>();
            Matcher m = SAMPLE.matcher(scrape.body());
            while (m.find()) {
                values.put(m.group(1), Double.parseDouble(m.group(2)));
            }
            return values;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a condition while the poll counters move; fails after {@link #STALL} without a change. */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Map<String, Double> last = pollMetrics();
        long lastChange = System.nanoTime();
        while (!condition.getAsBoolean()) {
            Map<String, Double> now = pollMetrics();
            if (!now.equals(last)) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                throw new AssertionError("no poll for " + STALL + " waiting for " + what + "; last seen " + now);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void failedPollsAreReportedAndWhatArrivedDuringTheOutageIsStoredOnceAfterIt() throws Exception {
        server.start();
        String base = server.baseUrl();
        server.stop();
        port = EmbeddedGatewaySettings.freePort();
        Map<String, Object> settings = EmbeddedGatewaySettings.httpOnly(directory, port);
        settings.put("tamer.fhir-poll.server-url", base);
        settings.put("tamer.fhir-poll.allow-plaintext", true);
        settings.put("tamer.fhir-poll.interval", "300ms");
        settings.put("tamer.fhir-poll.timeout", "20s");
        settings.put("tamer.fhir-poll.since", "2020-01-01T00:00:00Z");
        Files.createDirectories(directory.resolve("work"));
        context = ApplicationContext.builder().properties(settings).start();
        context.getBean(EmbeddedServer.class).start();
        token = DevelopmentKey.loadOrCreate(directory.resolve("work")).token("poll-outage", Scopes.OPERATIONS,
                Duration.ofMinutes(30));
        MessageStore store = context.getBean(MessageStore.class);

        await("two failed polls while the server is down",
                () -> pollMetrics().getOrDefault("tamer_fhir_poll_failed", 0.0) >= 2);
        assertEquals(0.0, pollMetrics().getOrDefault("tamer_fhir_poll_completed", -1.0), "no poll completed");

        String id = server.add(new EcgFhirMapper(new MdcLeadCodes()).toObservation(new PtbXlArchive(
                SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("11"))).getIdElement().getIdPart();
        String controlId = base + "/Observation/" + id + "/_history/1";
        assertTrue(store.findByControlId(Channel.FHIR, controlId).isEmpty());
        server.start();
        await("the Observation added during the outage stored",
                () -> !store.findByControlId(Channel.FHIR, controlId).isEmpty());
        double completed = pollMetrics().get("tamer_fhir_poll_completed");
        await("two more polls completed", () -> pollMetrics().get("tamer_fhir_poll_completed") >= completed + 2);
        assertEquals(1, store.findByControlId(Channel.FHIR, controlId).size(), "stored exactly once");
        assertEquals(1L, store.countsByState().values().stream().mapToLong(Long::longValue).sum());
    }
}
