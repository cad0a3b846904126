package org.tamer.gateway.testing;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Makes a {@link JpaFhirServer} a SMART resource server, as a hospital's EHR FHIR endpoint is: it publishes its
 * {@code .well-known/smart-configuration} (naming the authorization server's token endpoint, {@code private_key_jwt}
 * with RS384/ES384 and the client credentials grant), and every other request needs {@code Authorization: Bearer}
 * with an access token that
 * <ul>
 *   <li>verifies against the authorization server's published JWKS (fetched from its {@code jwks_uri}),</li>
 *   <li>was issued by that server ({@code iss}), for this FHIR server ({@code aud}), and has not expired
 *       ({@code exp}, no clock skew allowed),</li>
 *   <li>has not been revoked by this server ({@link #revokeAfterTransactions(int)}), and</li>
 *   <li>carries the SMART scopes for what is done: {@code system/<Type>.c} (or {@code .write}, {@code *}) for every
 *       resource the request creates, including each conditional create in a transaction, and {@code r} or
 *       {@code s} for the type a GET reads or searches.</li>
 * </ul>
 * A request without a token, or with one that fails a check, gets 401; a valid token without the scope gets 403.
 * Counts of accepted and rejected requests let a test see how the client behaved.
 */
@Interceptor
public final class SmartResourceServerGuard {

    private static final String SCOPES = SmartResourceServerGuard.class.getName() + ".scopes";
    private static final String TOKEN = SmartResourceServerGuard.class.getName() + ".token";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String smartConfiguration;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger acceptedTransactions = new AtomicInteger();
    private volatile int revokeAfterTransactions = -1;

    /**
     * @param issuer        the authorization server's issuer ({@code iss} of its tokens)
     * @param jwksUrl       where it publishes its signing keys
     * @param tokenEndpoint its token endpoint, published in the SMART configuration
     * @param audience      this FHIR server's base URL, the tokens' required {@code aud}
     */
    public SmartResourceServerGuard(String issuer, URI jwksUrl, URI tokenEndpoint, String audience) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(jwksUrl.toURL()).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWKS URL " + jwksUrl, e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.ES256, JWSAlgorithm.ES384), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iat", "sub", "scope"));
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
        smartConfiguration = "{\"token_endpoint\":\"" + tokenEndpoint + "\","
                + "\"token_endpoint_auth_methods_supported\":[\"private_key_jwt\"],"
                + "\"token_endpoint_auth_signing_alg_values_supported\":[\"RS384\",\"ES384\"],"
                + "\"grant_types_supported\":[\"client_credentials\"],"
                + "\"scopes_supported\":[\"system/*.cruds\"],"
                + "\"capabilities\":[\"client-confidential-asymmetric\"]}";
    }

    /** Serves {@code .well-known/smart-configuration} before HAPI sees the request (it is not a FHIR path). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean smartConfiguration(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getRequestURI().endsWith("/.well-known/smart-configuration")) {
            return true;
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.getOutputStream().write(smartConfiguration.getBytes(StandardCharsets.UTF_8));
        response.getOutputStream().flush();
        return false;
    }

    /** Checks the bearer token of every FHIR request; GETs also need a read or search scope for their type. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean authenticate(RequestDetails request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw refuse("no bearer token");
        }
        String token = header.substring(7).trim();
        if (revoked.contains(token)) {
            throw refuse("the token was revoked");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw refuse("invalid token: " + e.getMessage());
        }
        Set<String> scopes;
        try {
            scopes = Set.of(claims.getStringClaim("scope").split("\\s+"));
        } catch (ParseException e) {
            throw refuse("the token's scope is not a string");
        }
        request.getUserData().put(SCOPES, scopes);
        request.getUserData().put(TOKEN, token);
        if ("GET".equals(request.getRequestType().name()) && request.getResourceName() != null
                && !permits(scopes, request.getResourceName(), 'r') && !permits(scopes, request.getResourceName(),
                's')) {
            throw new ForbiddenOperationException("the token's scopes " + scopes + " do not allow reading "
                    + request.getResourceName());
        }
        accepted.incrementAndGet();
        return true;
    }

    /** Every resource a request creates, inside a transaction too, needs a create scope for its type. */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void create(IBaseResource resource, RequestDetails request) {
        if (request == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Set<String> scopes = (Set<String>) request.getUserData().get(SCOPES);
        String type = resource.fhirType();
        if (scopes == null || !permits(scopes, type, 'c')) {
            throw new ForbiddenOperationException("the token's scopes " + scopes + " do not allow creating " + type);
        }
    }

    /** Counts transactions that succeeded; revokes the token of the one the test chose. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean responded(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION) {
            int done = acceptedTransactions.incrementAndGet();
            if (done == revokeAfterTransactions) {
                revoked.add((String) request.getUserData().get(TOKEN));
            }
        }
        return true;
    }

    /**
     * Once {@code count} more transactions have succeeded, revokes the token the last of them carried: its next use
     * gets 401, as after a revocation at the EHR.
     */
    public void revokeAfterTransactions(int count) {
        revokeAfterTransactions = acceptedTransactions.get() + count;
    }

    public int accepted() {
        return accepted.get();
    }

    /** Requests answered 401. */
    public int unauthorized() {
        return unauthorized.get();
    }

    /** Transactions answered with success. */
    public int acceptedTransactions() {
        return acceptedTransactions.get();
    }

    private AuthenticationException refuse(String why) {
        unauthorized.incrementAndGet();
        AuthenticationException e = new AuthenticationException(why);
        e.addResponseHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return e;
    }

    /**
     * Whether SMART scopes allow {@code permission} (c, r, u, d, s) on {@code type}: v2 scopes
     * ({@code system/Observation.cs}) and v1 ({@code system/Observation.write}, {@code .read}, {@code .*}).
     */
    static boolean permits(Set<String> scopes, String type, char permission) {
        for (String scope : scopes) {
            String[] parts = scope.split("[/.]", 3);
            if (parts.length != 3 || !parts[0].equals("system") || !(parts[1].equals("*")
                    || parts[1].equals(type))) {
                continue;
            }
            String granted = switch (parts[2].toLowerCase(Locale.ROOT)) {
                case "*" -> "cruds";
                case "read" -> "rs";
                case "write" -> "cud";
                default -> parts[2];
            };
            if (granted.indexOf(permission) >= 0 && Arrays.stream(granted.split("")).allMatch("cruds"::contains)) {
                return true;
            }
        }
        return false;
    }
}
