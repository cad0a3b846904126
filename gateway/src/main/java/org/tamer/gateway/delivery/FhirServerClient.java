package org.tamer.gateway.delivery;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Posts write-back transaction Bundles to the configured FHIR server (the outbox's only way out). A transport
 * failure or a 5xx/429 is temporary; another 4xx is permanent. The reply Bundle is checked entry by entry: each
 * conditional create must answer 2xx (201 created, or 200 when it already existed).
 */
public final class FhirServerClient {

    private final URI base;
    private final HttpClient http;
    private final FhirContext context;
    private final Duration timeout;

    public FhirServerClient(URI base, FhirContext context, Duration timeout) {
        this.base = Objects.requireNonNull(base, "base");
        this.context = Objects.requireNonNull(context, "context");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI base() {
        return base;
    }

    public void transaction(String bundleJson) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base).timeout(timeout)
                .header("Content-Type", "application/fhir+json; charset=UTF-8")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundleJson, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeliveryException("FHIR server " + base + " unreachable: " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while posting to " + base, false, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new DeliveryException("FHIR server " + base + " answered " + status + ": " + brief(response.body()),
                    false, null);
        }
        if (status >= 300) {
            throw new DeliveryException("FHIR server " + base + " rejected the transaction with " + status + ": "
                    + brief(response.body()), true, null);
        }
        Bundle reply;
        try {
            reply = context.newJsonParser().parseResource(Bundle.class, response.body());
        } catch (RuntimeException e) {
            throw new DeliveryException("FHIR server " + base + " answered " + status + " without a Bundle: "
                    + brief(response.body()), false, e);
        }
        for (Bundle.BundleEntryComponent entry : reply.getEntry()) {
            String entryStatus = entry.getResponse().getStatus();
            if (entryStatus == null || !entryStatus.startsWith("2")) {
                throw new DeliveryException("FHIR server " + base + " answered entry " + entry.getFullUrl() + " with '"
                        + entryStatus + "'", true, null);
            }
        }
    }

    private static String brief(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
