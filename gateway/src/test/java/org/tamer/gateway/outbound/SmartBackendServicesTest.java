package org.tamer.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tamer.gateway.testing.TestClock;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.testing.SmartAuthorizationServer;

/**
 * The SMART Backend Services client against a running OAuth 2 authorization server that checks the client's
 * {@code private_key_jwt} assertion against the keys registered for it. The oracle for the tokens is the server's
 * own JWKS: every token the client hands out must verify against it and carry the scope asked for.
 */
class SmartBackendServicesTest {

    private static final String FHIR = "https://ehr.example-hospital.org/fhir";
    private static final String CLIENT = "tamer-gateway-test";
    private static final String SCOPE = "system/Observation.cs system/Device.cs system/Provenance.cs";

    @TempDir
    Path directory;

    private SmartAuthorizationServer server;
    private SmartClientKeys keys;
    /** Behind real time, so that moving it forward keeps the assertions' times plausible to the real server. */
    private final TestClock clock = new TestClock(Instant.now().minusSeconds(100));

    @BeforeEach
    void start() {
        server = new SmartAuthorizationServer(FHIR);
        keys = SmartClientKeys.loadOrCreate(directory.resolve("keys/smart-client-keys.jwks.json"));
        server.register(CLIENT, keys.publicKeys());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmartBackendServices client(JWSAlgorithm algorithm) {
        return new SmartBackendServices(new SmartBackendServices.Settings(URI.create(FHIR), CLIENT, SCOPE,
                Optional.of(server.tokenEndpoint()), Optional.empty(), true, Duration.ofSeconds(20)),
                keys.signingKey(algorithm, null), HttpClient.newHttpClient(), clock);
    }

    /** Verifies {@code header}'s token with the authorization server's published keys and returns its claims. */
    private JWTClaimsSet verified(String header) throws Exception {
        assertTrue(header.startsWith("Bearer "), header);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(server.jwksUrl().toURL()).build()));
        return processor.process(header.substring(7), null);
    }

    @Test
    void rs384AndEs384AssertionsObtainTokensWithTheRequestedScope() throws Exception {
        for (JWSAlgorithm algorithm : new JWSAlgorithm[] {JWSAlgorithm.RS384, JWSAlgorithm.ES384}) {
            String header = client(algorithm).header().orElseThrow();
            JWTClaimsSet claims = verified(header);
            assertEquals(SCOPE, claims.getStringClaim("scope"), algorithm.getName());
            assertEquals(CLIENT, claims.getSubject());
            assertEquals(server.issuer(), claims.getIssuer());
            assertEquals(java.util.List.of(FHIR), claims.getAudience());
        }
        assertEquals(2, server.issued());
        assertEquals(0, server.refused());
    }

    @Test
    void theKeyFileIsPrivateAndHoldsOneKeyPerAlgorithm() throws Exception {
        Path file = keys.file();
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        JWKSet published = keys.publicKeys();
        assertEquals(2, published.size());
        assertFalse(published.getKeys().stream().anyMatch(k -> k.isPrivate()), "the published set has no private part");
        assertEquals(Set.of("RS384", "ES384"), Set.copyOf(published.getKeys().stream().map(k -> k.getAlgorithm()
                .getName()).toList()));
        SmartClientKeys again = SmartClientKeys.loadOrCreate(file);
        assertEquals(published.toString(), again.publicKeys().toString(), "a restart keeps the registered keys");
    }

    @Test
    void aTokenIsKeptUntilShortlyBeforeItExpiresThenRenewed() throws Exception {
        server.tokenLifetime(Duration.ofSeconds(120));
        SmartBackendServices smart = client(JWSAlgorithm.RS384);
        String first = smart.header().orElseThrow();
        clock.advance(Duration.ofSeconds(80));
        assertEquals(first, smart.header().orElseThrow(), "80 s into a 120 s token it is reused");
        assertEquals(1, server.issued());
        clock.advance(Duration.ofSeconds(11));
        String second = smart.header().orElseThrow();
        assertNotEquals(first, second, "within the last quarter of its life a token is renewed");
        assertEquals(2, server.issued());
        verified(second);
    }

    @Test
    void aTokenTheServerRejectedIsDroppedOnce() throws Exception {
        SmartBackendServices smart = client(JWSAlgorithm.ES384);
        String first = smart.header().orElseThrow();
        smart.rejected("Bearer some-other-token");
        assertEquals(first, smart.header().orElseThrow(), "a rejection of another token changes nothing");
        smart.rejected(first);
        String second = smart.header().orElseThrow();
        assertNotEquals(first, second);
        assertEquals(2, server.issued());
    }

    @Test
    void aRevokedKeyIsAPermanentFailureNamingTheEndpointAndTheOAuthError() {
        SmartBackendServices smart = client(JWSAlgorithm.RS384);
        server.revoke(CLIENT);
        AuthorizationException e = assertThrows(AuthorizationException.class, smart::header);
        assertTrue(e.isPermanent());
        assertEquals(Optional.of("invalid_client"), e.oauthError());
        assertEquals(server.tokenEndpoint(), e.endpoint());
        assertTrue(e.getMessage().contains(server.tokenEndpoint().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("invalid_client"), e.getMessage());
        assertTrue(e.getMessage().contains("not registered or its keys were revoked"), e.getMessage());
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() {
        SmartClientKeys stranger = SmartClientKeys.loadOrCreate(directory.resolve("other.jwks.json"));
        SmartBackendServices smart = new SmartBackendServices(new SmartBackendServices.Settings(URI.create(FHIR),
                CLIENT, SCOPE, Optional.of(server.tokenEndpoint()), Optional.empty(), true, Duration.ofSeconds(20)),
                stranger.signingKey(JWSAlgorithm.RS384, null), HttpClient.newHttpClient(), clock);
        AuthorizationException e = assertThrows(AuthorizationException.class, smart::header);
        assertTrue(e.isPermanent());
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void anOverloadedOrUnreachableServerIsTransient() throws Exception {
        SmartBackendServices smart = client(JWSAlgorithm.RS384);
        server.failNext(1);
        AuthorizationException busy = assertThrows(AuthorizationException.class, smart::header);
        assertFalse(busy.isPermanent(), busy.getMessage());
        assertEquals(Optional.of("temporarily_unavailable"), busy.oauthError());
        verified(smart.header().orElseThrow());

        URI endpoint = server.tokenEndpoint();
        server.close();
        SmartBackendServices orphan = new SmartBackendServices(new SmartBackendServices.Settings(URI.create(FHIR),
                CLIENT, SCOPE, Optional.of(endpoint), Optional.empty(), true, Duration.ofSeconds(5)),
                keys.signingKey(JWSAlgorithm.RS384, null), HttpClient.newHttpClient(), clock);
        AuthorizationException down = assertThrows(AuthorizationException.class, orphan::header);
        assertFalse(down.isPermanent(), down.getMessage());
        assertTrue(down.getMessage().contains(endpoint.toString()), down.getMessage());
        server = new SmartAuthorizationServer(FHIR);
    }

    @Test
    void aPlainHttpTokenEndpointNeedsAllowPlaintext() {
        SmartBackendServices strict = new SmartBackendServices(new SmartBackendServices.Settings(URI.create(FHIR),
                CLIENT, SCOPE, Optional.of(server.tokenEndpoint()), Optional.empty(), false, Duration.ofSeconds(5)),
                keys.signingKey(JWSAlgorithm.RS384, null), HttpClient.newHttpClient(), clock);
        AuthorizationException e = assertThrows(AuthorizationException.class, strict::header);
        assertTrue(e.isPermanent());
        assertTrue(e.getMessage().contains("allow-plaintext"), e.getMessage());
        assertEquals(0, server.issued() + server.refused(), "no request was sent");
    }
}
