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
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.tamer.gateway.outbound.AuthorizationException;
import org.tamer.gateway.outbound.OutboundAuthorization;

/**
 * Posts write-back transaction Bundles to the configured FHIR server (the outbox's only way out). A transport
 * failure or a 5xx/429 is temporary; another 4xx is permanent. The reply Bundle is checked entry by entry: each
 * conditional create must answer 2xx (201 created, or 200 when it already existed). Each request carries the
 * destination's {@link OutboundAuthorization} (a SMART Backend Services token, a static bearer token, basic);
 * a 401 drops a renewable token and the request is sent once more with a new one. When no credential can be
 * obtained, the {@link AuthorizationException}'s classification decides: permanent (e.g. {@code invalid_client})
 * or temporary.
 */
public final class FhirServerClient {

    private final URI base;
    private final HttpClient http;
    private final FhirContext context;
    private final Duration timeout;
    private final OutboundAuthorization authorization;

    public FhirServerClient(URI base, FhirContext context, Duration timeout) {
        this(base, context, timeout, HttpClient.newBuilder().connectTimeout(timeout).build(),
                OutboundAuthorization.NONE);
    }

    /**
     * @param http          the client, with the destination's TLS settings
     * @param authorization the destination's credential
     */
    public FhirServerClient(URI base, FhirContext context, Duration timeout, HttpClient http,
                            OutboundAuthorization authorization) {
        this.base = Objects.requireNonNull(base, "base");
        this.context = Objects.requireNonNull(context, "context");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = Objects.requireNonNull(http, "http");
        this.authorization = Objects.requireNonNull(authorization, "authorization");
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
            response = send(request);
        } catch (AuthorizationException e) {
            throw new DeliveryException("no credential for FHIR server " + base + ": " + e.getMessage(),
                    e.isPermanent(), e);
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

    /** Sends with the current credential; after a 401, once more with a renewed one. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws AuthorizationException, IOException,
            InterruptedException {
        Optional<String> header = authorization.header();
        header.ifPresent(h -> request.setHeader("Authorization", h));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(
                StandardCharsets.UTF_8));
        if (response.statusCode() == 401 && header.isPresent() && authorization.renewable()) {
            authorization.rejected(header.get());
            request.setHeader("Authorization", authorization.header().orElseThrow());
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        return response;
    }

    private static String brief(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
