package org.tamer.gateway.security;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;
import java.util.Optional;
import java.util.Set;
import org.tamer.gateway.http.OperationOutcomes;

/**
 * Guards the FHIR, upload and admin endpoints with OAuth2 bearer JWTs (SMART Backend Services style). Reads need a
 * {@code system/<type>.read} (or v2 {@code .rs}) scope, writes {@code .write} (or {@code .c}/{@code .u}); the admin
 * endpoints need {@code tamer/operations} to read and {@code tamer/admin} to change state (replay).
 * {@code /fhir/metadata} is open, as SMART requires. The scopes a request was granted travel with it (request
 * attribute {@link #GRANTED_SCOPES}), so that an endpoint can show less where a scope is missing.
 */
@ServerFilter({"/fhir/**", "/admin/**", "/upload/**"})
public final class BearerTokenFilter {

    /** The request attribute holding the granted scopes ({@code Set<String>}); absent when security is off. */
    public static final String GRANTED_SCOPES = "tamer.granted-scopes";

    private final Optional<TokenVerifier> verifier;

    /** Whether and how bearer tokens are checked. */
    public record Policy(Optional<TokenVerifier> verifier) {
    }
    private final OperationOutcomes outcomes;

    public BearerTokenFilter(Policy policy, OperationOutcomes outcomes) {
        this.verifier = policy.verifier();
        this.outcomes = outcomes;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        if (verifier.isEmpty()) {
            return null;
        }
        String path = request.getPath();
        if (path.equals("/fhir/metadata")) {
            return null;
        }
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(HttpStatus.UNAUTHORIZED, "invalid_request", "a bearer token is required");
        }
        Set<String> scopes;
        try {
            scopes = verifier.get().verify(header.get().substring(7).trim());
        } catch (TokenVerifier.InvalidTokenException e) {
            return refuse(HttpStatus.UNAUTHORIZED, "invalid_token", e.getMessage());
        }
        boolean allowed;
        String needed;
        if (path.startsWith("/admin")) {
            boolean read = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
            allowed = read ? Scopes.allowsOperations(scopes) : scopes.contains(Scopes.ADMIN);
            needed = read ? Scopes.OPERATIONS + " or " + Scopes.ADMIN : Scopes.ADMIN;
        } else {
            boolean write = request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD;
            String type = resourceType(path);
            allowed = Scopes.allows(scopes, type, write);
            needed = "system/" + type + (write ? ".write" : ".read");
        }
        request.setAttribute(GRANTED_SCOPES, Set.copyOf(scopes));
        if (!allowed) {
            return refuse(HttpStatus.FORBIDDEN, "insufficient_scope", "the token's scopes " + scopes + " do not include "
                    + needed);
        }
        return null;
    }

    private static String resourceType(String path) {
        if (path.startsWith("/upload")) {
            return "Observation";
        }
        String rest = path.substring("/fhir".length());
        if (rest.isEmpty() || rest.equals("/")) {
            return "Bundle";
        }
        String first = rest.substring(1).split("/", 2)[0].split("\\?", 2)[0];
        return first.startsWith("$") ? "*" : first;
    }

    private MutableHttpResponse<String> refuse(HttpStatus status, String error, String description) {
        return outcomes.response(status, status == HttpStatus.UNAUTHORIZED ? "login" : "forbidden", description)
                .header("WWW-Authenticate", "Bearer error=\"" + error + "\", error_description=\""
                        + description.replace('"', '\'') + "\"");
    }
}
