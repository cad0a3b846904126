package org.tamer.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JPA test server behaves as HAPI's JPA server does: conditional creates, Location, interceptors. */
class JpaFhirServerTest {

    private static JpaFhirServer server;

    @BeforeAll
    static void start() throws Exception {
        server = JpaFhirServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void conditionalCreateInATransactionCreatesOnceAndTheLocationResolves() throws Exception {
        IGenericClient client = server.client();
        for (int attempt = 0; attempt < 2; attempt++) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            Observation observation = new Observation().setStatus(Observation.ObservationStatus.FINAL);
            observation.getCode().setText("conditional");
            observation.addIdentifier().setSystem("urn:example:a b").setValue("x|1");
            transaction.addEntry().setResource(observation).setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation")
                    .setIfNoneExist("identifier=" + java.net.URLEncoder.encode("urn:example:a b|x\\|1",
                            java.nio.charset.StandardCharsets.UTF_8));
            Bundle response = client.transaction().withBundle(transaction).execute();
            String status = response.getEntryFirstRep().getResponse().getStatus();
            assertTrue(status.startsWith(attempt == 0 ? "201" : "200"), status);
            String location = response.getEntryFirstRep().getResponse().getLocation();
            HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/" + location)).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), location);
        }
        Bundle found = client.search().forResource(Observation.class).where(Observation.IDENTIFIER.exactly()
                .systemAndIdentifier("urn:example:a b", "x|1")).returnBundle(Bundle.class).execute();
        assertEquals(1, found.getTotal());
    }

    @Test
    void anInterceptorAddedAtRunTimeRejectsRequests() throws Exception {
        RejectAll reject = new RejectAll();
        server.registerInterceptor(reject);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/Observation")).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode());
            assertThrows(AuthenticationException.class,
                    () -> server.client().search().forResource(Observation.class).execute());
        } finally {
            server.unregisterInterceptor(reject);
        }
        assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/Observation")).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    @Interceptor
    public static final class RejectAll {
        @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
        public boolean reject(RequestDetails request) {
            throw new AuthenticationException("no token");
        }
    }
}
