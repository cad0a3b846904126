package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.testing.LocalJwks;
import org.tamer.gateway.testing.EmbeddedGatewaySettings;

/**
 * The running gateway (Micronaut's embedded server) configured with {@code tamer.security.jwks-url}, issuer and
 * audience, against an authorization server's JWKS served on a loopback port: a token signed with the published
 * RSA key, from that issuer, for that audience, with the scope, reads; a wrong issuer or audience, an expired token,
 * an unknown key id and a token signed by another key under the published key id are 401 {@code invalid_token}; a
 * valid token without the scope is 403 {@code insufficient_scope}.
 */
class JwksBearerTokenTest {

    private static final String ISSUER = "https://login.hospital.test/realms/ecg";
    private static final String AUDIENCE = "tamer-gateway";
    private static final String READ = "system/Observation.rs";

    @TempDir
    static Path directory;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    private static ApplicationContext context;
    private static LocalJwks jwks;
    private static RSAKey published;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        published = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        jwks = new LocalJwks(new JWKSet(published));
        port = EmbeddedGatewaySettings.freePort();
        Map<String, Object> settings = EmbeddedGatewaySettings.httpOnly(directory, port);
        settings.put("tamer.security.jwks-url", jwks.url());
        settings.put("tamer.security.issuer", ISSUER);
        settings.put("tamer.security.audience", AUDIENCE);
        context = ApplicationContext.builder().properties(settings).start();
        context.getBean(EmbeddedServer.class).start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    private record Claims(String issuer, String audience, String scope, Instant expires) {
        static Claims valid() {
            return new Claims(ISSUER, AUDIENCE, READ, Instant.now().plus(Duration.ofMinutes(10)));
        }
    }

    private static String token(RSAKey key, Claims c) throws JOSEException {
        Instant now = Instant.now();
        Instant issued = c.expires().isBefore(now) ? c.expires().minus(Duration.ofMinutes(5)) : now;
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(c.issuer()).audience(c.audience())
                .subject("ecg-cart-7").claim("scope", c.scope()).issueTime(Date.from(issued))
                .expirationTime(Date.from(c.expires())).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> search(String token) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/Observation"))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(int status, String error, String because, HttpResponse<String> answer) {
        assertEquals(status, answer.statusCode(), because + ": " + answer.body());
        String challenge = answer.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.contains("error=\"" + error + "\""), because + ": " + challenge);
        assertTrue(answer.body().contains("\"OperationOutcome\""), answer.body());
    }

    @Test
    void aTokenFromTheConfiguredIssuerForThisAudienceSignedWithThePublishedKeyReads() throws Exception {
        HttpResponse<String> answer = search(token(published, Claims.valid()));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"searchset\""), answer.body());
        assertTrue(jwks.fetches() >= 1, "the keys came from the JWKS URL");
    }

    @Test
    void anotherIssuerIsRefused() throws Exception {
        Claims c = Claims.valid();
        assertRefused(401, "invalid_token", "issuer", search(token(published,
                new Claims("https://login.other-tenant.test/realms/ecg", c.audience(), c.scope(), c.expires()))));
    }

    @Test
    void anotherAudienceIsRefused() throws Exception {
        Claims c = Claims.valid();
        assertRefused(401, "invalid_token", "audience", search(token(published,
                new Claims(c.issuer(), "another-service", c.scope(), c.expires()))));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Claims c = Claims.valid();
        assertRefused(401, "invalid_token", "expired", search(token(published,
                new Claims(c.issuer(), c.audience(), c.scope(), Instant.now().minus(Duration.ofMinutes(5))))));
    }

    @Test
    void aKeyTheJwksDoesNotPublishIsRefused() throws Exception {
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("idp-key-2").generate();
        assertRefused(401, "invalid_token", "unknown key id", search(token(unknown, Claims.valid())));
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(published.getKeyID()).generate();
        assertRefused(401, "invalid_token", "published key id, other key", search(token(impostor,
                Claims.valid())));
    }

    @Test
    void aValidTokenWithoutTheScopeIsForbidden() throws Exception {
        Claims c = Claims.valid();
        assertRefused(403, "insufficient_scope", "scope", search(token(published,
                new Claims(c.issuer(), c.audience(), "system/Patient.rs", c.expires()))));
    }
}
