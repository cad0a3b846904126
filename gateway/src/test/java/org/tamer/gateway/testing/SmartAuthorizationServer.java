package org.tamer.gateway.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import java.net.InetAddress;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.Headers;

/**
 * A real OAuth 2 authorization server for tests (nav's mock-oauth2-server: token endpoint, JWKS, metadata, signed
 * JWT access tokens) with the one thing a SMART Backend Services server adds that it lacks: a client registry. A
 * client is registered with the public JWK Set of its keys; a client-credentials request must carry a
 * {@code private_key_jwt} assertion (RFC 7523) signed by one of them, with {@code iss} and {@code sub} the client
 * id, {@code aud} this token endpoint, an {@code exp} at most five minutes ahead and a {@code jti} never seen
 * before; otherwise the answer is 401 {@code invalid_client}, as from a production server. Revoking a client
 * removes its keys. Access tokens carry the requested scope, the client as subject and the configured audience,
 * and live {@link #tokenLifetime(Duration)}.
 *
 * <p>The registry is needed because mock-oauth2-server (2.1.10) does not authenticate clients on the client
 * credentials grant: it parses a {@code private_key_jwt} assertion but checks neither its signature nor its
 * audience and expiry, and issues a token to any client id. The check is added through the server's supported
 * extension point (a {@link Route} passed to its constructor, asked before the built-in token endpoint), so a
 * refused client gets the answer a production server gives, and an accepted one the server's own signed token.
 */
public final class SmartAuthorizationServer implements AutoCloseable {

    public static final String ISSUER_ID = "smart";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final MockOAuth2Server server;
    private final Map<String, JWKSet> clients = new ConcurrentHashMap<>();
    private final Set<String> seenAssertions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicLong lifetimeSeconds = new AtomicLong(3600);
    private final String audience;
    private volatile String lastRefusal = "";

    /** @param audience the {@code aud} of the access tokens (the FHIR server they are for) */
    public SmartAuthorizationServer(String audience) {
        this.audience = audience;
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new no.nav.security.mock.oauth2.token.OAuth2TokenProvider(), Set.of(new Tokens())),
                new ClientRegistry());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    public URI tokenEndpoint() {
        return server.tokenEndpointUrl(ISSUER_ID).uri();
    }

    public URI jwksUrl() {
        return server.jwksUrl(ISSUER_ID).uri();
    }

    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    public void register(String clientId, JWKSet publicKeys) {
        clients.put(clientId, publicKeys.toPublicJWKSet());
    }

    /** Withdraws the client's keys: its next assertion is refused with {@code invalid_client}. */
    public void revoke(String clientId) {
        clients.remove(clientId);
    }

    public void tokenLifetime(Duration lifetime) {
        lifetimeSeconds.set(lifetime.toSeconds());
    }

    /** The next {@code count} token requests get 503, as from an overloaded server. */
    public void failNext(int count) {
        unavailable.set(count);
    }

    /** Access tokens issued so far. */
    public int issued() {
        return issued.get();
    }

    /** Token requests refused so far (invalid_client or 503). */
    public int refused() {
        return refused.get();
    }

    public String lastRefusal() {
        return lastRefusal;
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Checks client authentication before the server's own client-credentials handler issues the token. */
    private final class ClientRegistry implements Route {

        @Override
        public boolean match(OAuth2HttpRequest request) {
            if (!"POST".equals(request.getMethod()) || !request.getUrl().encodedPath().equals(tokenEndpoint()
                    .getPath())) {
                return false;
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                lastRefusal = "unavailable";
                return true;
            }
            String problem = problem(request);
            if (problem != null) {
                lastRefusal = problem;
                return true;
            }
            return false;
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            refused.incrementAndGet();
            Headers json = Headers.of("Content-Type", "application/json;charset=UTF-8");
            if (lastRefusal.equals("unavailable")) {
                return new OAuth2HttpResponse(json, 503, "{\"error\":\"temporarily_unavailable\"}", null);
            }
            String description = lastRefusal.replace("\\", "\\\\").replace("\"", "'");
            return new OAuth2HttpResponse(json, 401, "{\"error\":\"invalid_client\",\"error_description\":\""
                    + description + "\"}", null);
        }

        /** Why the client's authentication fails, or null when it passes. */
        private String problem(OAuth2HttpRequest request) {
            Map<String, String> form = request.getFormParameters().getMap();
            if (!"client_credentials".equals(form.get("grant_type"))) {
                return null;
            }
            if (!ASSERTION_TYPE.equals(form.get("client_assertion_type")) || form.get("client_assertion") == null) {
                return "a private_key_jwt client assertion is required";
            }
            String clientId;
            try {
                clientId = com.nimbusds.jwt.SignedJWT.parse(form.get("client_assertion")).getJWTClaimsSet()
                        .getIssuer();
            } catch (ParseException e) {
                return "the client assertion is not a JWT";
            }
            JWKSet keys = clientId == null ? null : clients.get(clientId);
            if (keys == null) {
                return "client '" + clientId + "' is not registered or its keys were revoked";
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS384,
                    JWSAlgorithm.ES384), new ImmutableJWKSet<>(keys)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(tokenEndpoint().toString(),
                    new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).build(),
                    Set.of("exp", "jti")));
            JWTClaimsSet claims;
            try {
                claims = processor.process(form.get("client_assertion"), null);
            } catch (ParseException | BadJOSEException | JOSEException e) {
                return "the client assertion does not verify: " + e.getMessage();
            }
            if (claims.getExpirationTime().getTime() - System.currentTimeMillis() > Duration.ofMinutes(5)
                    .plusSeconds(30).toMillis()) {
                return "the client assertion expires more than five minutes ahead";
            }
            if (!seenAssertions.add(claims.getJWTID())) {
                return "the client assertion's jti was used before";
            }
            return null;
        }
    }

    /** What the issued access tokens say. */
    private final class Tokens implements OAuth2TokenCallback {

        @Override
        public String issuerId() {
            return ISSUER_ID;
        }

        @Override
        public String subject(TokenRequest request) {
            ClientAuthentication client = request.getClientAuthentication();
            return client == null ? "unknown" : client.getClientID().getValue();
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of(audience);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            issued.incrementAndGet();
            return Map.of("scope", request.getScope() == null ? "" : request.getScope().toString(),
                    "client_id", subject(request));
        }

        @Override
        public long tokenExpiry() {
            return lifetimeSeconds.get();
        }
    }
}
