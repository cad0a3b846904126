package org.tamer.gateway.outbound;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A SMART Backend Services client (HL7 SMART App Launch 2, "Backend Services"): obtains access tokens with the
 * OAuth 2 client credentials grant, authenticating by a {@code private_key_jwt} client assertion (RFC 7523) signed
 * with RS384 or ES384. The token endpoint is configured or discovered from the FHIR server's
 * {@code .well-known/smart-configuration}. A token is kept until shortly before it expires (a quarter of its
 * lifetime, at most a minute, before) and dropped when the FHIR server answers 401 with it, so that the next
 * request obtains a new one. Failures name the endpoint and the OAuth error and say whether they are permanent
 * ({@code invalid_client}, {@code invalid_scope}, … : a person must act) or transient (5xx, timeouts).
 * Tokens, assertions and keys never appear in messages or logs.
 */
public final class SmartBackendServices implements OutboundAuthorization {

    /** SMART: the assertion's {@code exp} no more than five minutes in the future. */
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;
    private static final Set<String> TRANSIENT_ERRORS = Set.of("temporarily_unavailable", "server_error");

    /**
     * @param fhirBase       the FHIR server the tokens are for; its {@code .well-known/smart-configuration} names
     *                       the token endpoint unless {@code tokenEndpoint} is given
     * @param clientId       the client id the hospital registered for the gateway
     * @param scope          the scopes asked for, space-separated, e.g. {@code system/Observation.cruds}
     * @param tokenEndpoint  the token endpoint; empty: discovered
     * @param jwksUrl        where the client's public keys are published, sent as {@code jku}; empty: none (the key
     *                       was registered by value or by a URL the server already knows)
     * @param allowPlaintext whether an {@code http:} token endpoint is acceptable
     * @param timeout        connect and response timeout of each request
     */
    public record Settings(URI fhirBase, String clientId, String scope, Optional<URI> tokenEndpoint,
                           Optional<URI> jwksUrl, boolean allowPlaintext, Duration timeout) {
        public Settings {
            Objects.requireNonNull(fhirBase, "fhirBase");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            Objects.requireNonNull(jwksUrl, "jwksUrl");
            Objects.requireNonNull(timeout, "timeout");
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("SMART Backend Services needs the client id the authorization "
                        + "server registered (auth.client-id)");
            }
            if (scope.isBlank()) {
                throw new IllegalArgumentException("SMART Backend Services needs the scopes to ask for "
                        + "(auth.scope), e.g. 'system/Observation.cruds'");
            }
        }
    }

    private record Token(String header, Instant renewAt) {
    }

    private final Settings settings;
    private final SmartClientKeys.SigningKey key;
    private final HttpClient http;
    private final Clock clock;
    private URI tokenEndpoint;
    private Token token;

    public SmartBackendServices(Settings settings, SmartClientKeys.SigningKey key, HttpClient http, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.key = Objects.requireNonNull(key, "key");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenEndpoint = settings.tokenEndpoint().orElse(null);
    }

    @Override
    public synchronized Optional<String> header() throws AuthorizationException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(token.renewAt())) {
            token = requestToken(tokenEndpoint(), now);
        }
        return Optional.of(token.header());
    }

    @Override
    public synchronized void rejected(String header) {
        if (token != null && token.header().equals(header)) {
            token = null;
        }
    }

    @Override
    public boolean renewable() {
        return true;
    }

    @Override
    public String describe() {
        return "SMART Backend Services as client '" + settings.clientId() + "' (" + key.algorithm() + ", kid "
                + key.keyId() + ") with scope '" + settings.scope() + "' from " + (tokenEndpoint != null
                ? tokenEndpoint : discoveryUri() + " (discovered)");
    }

    private URI discoveryUri() {
        String base = settings.fhirBase().toString();
        return URI.create(base + (base.endsWith("/") ? "" : "/") + ".well-known/smart-configuration");
    }

    /** The token endpoint, discovered once from the SMART configuration when not configured. */
    private URI tokenEndpoint() throws AuthorizationException {
        if (tokenEndpoint != null) {
            return tokenEndpoint;
        }
        URI discovery = discoveryUri();
        HttpResponse<InputStream> response = send(discovery, HttpRequest.newBuilder(discovery)
                .header("Accept", "application/json").GET());
        String body = body(discovery, response);
        if (response.statusCode() != 200) {
            throw new AuthorizationException(discovery, !transientStatus(response.statusCode()), null,
                    "SMART configuration " + discovery + " answered " + response.statusCode() + ": " + brief(body),
                    null);
        }
        Map<String, Object> configuration = json(discovery, body);
        Object endpoint = configuration.get("token_endpoint");
        if (!(endpoint instanceof String s) || s.isBlank()) {
            throw new AuthorizationException(discovery, true, null, "SMART configuration " + discovery
                    + " names no token_endpoint", null);
        }
        requireListed(discovery, configuration, "token_endpoint_auth_methods_supported", "private_key_jwt");
        requireListed(discovery, configuration, "token_endpoint_auth_signing_alg_values_supported",
                key.algorithm().getName());
        requireListed(discovery, configuration, "grant_types_supported", "client_credentials");
        URI found;
        try {
            found = discovery.resolve(s.trim());
        } catch (IllegalArgumentException e) {
            throw new AuthorizationException(discovery, true, null, "SMART configuration " + discovery
                    + " names a token_endpoint that is not a URI: " + brief(s), e);
        }
        tokenEndpoint = found;
        return found;
    }

    /** When the server lists what it supports under {@code field}, {@code needed} must be among it. */
    private static void requireListed(URI discovery, Map<String, Object> configuration, String field, String needed)
            throws AuthorizationException {
        Object listed = configuration.get(field);
        if (listed instanceof List<?> values && !values.contains(needed)) {
            throw new AuthorizationException(discovery, true, null, "SMART configuration " + discovery + " lists "
                    + field + " " + values + ", without " + needed + " which the gateway uses", null);
        }
    }

    private Token requestToken(URI endpoint, Instant now) throws AuthorizationException {
        String scheme = endpoint.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !("http".equalsIgnoreCase(scheme) && settings.allowPlaintext())) {
            throw new AuthorizationException(endpoint, true, null, "token endpoint " + endpoint + " is not https "
                    + "(allow-plaintext is off for this destination)", null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", settings.scope());
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion(endpoint, now));
        String encoded = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<InputStream> response = send(endpoint, HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8)));
        String body = body(endpoint, response);
        int status = response.statusCode();
        if (status != 200) {
            throw refusal(endpoint, status, body);
        }
        Map<String, Object> reply = json(endpoint, body);
        Object accessToken = reply.get("access_token");
        Object type = reply.get("token_type");
        if (!(accessToken instanceof String value) || value.isBlank()
                || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new AuthorizationException(endpoint, true, null, "token endpoint " + endpoint
                    + " answered 200 without a usable access_token", null);
        }
        if (!(type instanceof String t) || !t.equalsIgnoreCase("bearer")) {
            throw new AuthorizationException(endpoint, true, null, "token endpoint " + endpoint + " issued a token "
                    + "of type '" + type + "' instead of bearer", null);
        }
        Duration lifetime = Duration.ofMinutes(5);
        if (reply.get("expires_in") instanceof Number seconds && seconds.longValue() > 0) {
            lifetime = Duration.ofSeconds(seconds.longValue());
        }
        Duration margin = lifetime.dividedBy(4);
        if (margin.compareTo(Duration.ofMinutes(1)) > 0) {
            margin = Duration.ofMinutes(1);
        }
        return new Token("Bearer " + value, now.plus(lifetime).minus(margin));
    }

    private AuthorizationException refusal(URI endpoint, int status, String body) {
        String error = null;
        String description = null;
        try {
            Map<String, Object> reply = JSONObjectUtils.parse(body);
            error = reply.get("error") instanceof String e ? e : null;
            description = reply.get("error_description") instanceof String d ? d : null;
        } catch (ParseException e) {
            // not an OAuth error response: reported by status and body below
        }
        boolean permanent = !transientStatus(status) && (error == null || !TRANSIENT_ERRORS.contains(error));
        String what = error == null ? "HTTP " + status + ": " + brief(body)
                : brief(error) + (description == null ? "" : " (" + brief(description) + ")") + ", HTTP " + status;
        return new AuthorizationException(endpoint, permanent, error, "token endpoint " + endpoint + " refused client '"
                + settings.clientId() + "': " + what, null);
    }

    private String assertion(URI endpoint, Instant now) throws AuthorizationException {
        JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(JOSEObjectType.JWT);
        settings.jwksUrl().ifPresent(header::jwkURL);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(settings.clientId()).subject(settings.clientId())
                .audience(endpoint.toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME))).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new AuthorizationException(endpoint, true, null, "cannot sign the client assertion with key "
                    + key.keyId() + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private HttpResponse<InputStream> send(URI endpoint, HttpRequest.Builder request) throws AuthorizationException {
        try {
            return http.send(request.timeout(settings.timeout()).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AuthorizationException(endpoint, false, null, endpoint + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationException(endpoint, false, null, "interrupted while asking " + endpoint, e);
        }
    }

    /** The body, at most {@link #MAX_RESPONSE_BYTES}: an endpoint cannot make the gateway buffer without bound. */
    private static String body(URI endpoint, HttpResponse<InputStream> response) throws AuthorizationException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new AuthorizationException(endpoint, false, null, endpoint + " answered with more than "
                        + MAX_RESPONSE_BYTES + " bytes", null);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuthorizationException(endpoint, false, null, endpoint + ": reading the answer failed: " + e, e);
        }
    }

    private static Map<String, Object> json(URI endpoint, String body) throws AuthorizationException {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new AuthorizationException(endpoint, true, null, endpoint + " answered 200 with something other "
                    + "than a JSON object: " + brief(body), e);
        }
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    /** Printable, one line, at most 300 characters: what an endpoint says may be quoted, never dumped. */
    static String brief(String text) {
        String flat = text == null ? "" : text.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
