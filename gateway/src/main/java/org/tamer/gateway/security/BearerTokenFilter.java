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
 * Guards the FHIR, upload and admin endpoints with OAuth2 bearer JWTs (SMART Backend Services style). A read needs
 * {@code system/<type>.read} or v2 {@code .r}, a search {@code .read} or {@code .s}, a create {@code .write} or
 * {@code .c}, an update {@code .write} or {@code .u} ({@link Scopes.Operation}); the admin endpoints need
 * {@code tamer/operations} to read and {@code tamer/admin} to change state (replay). {@code /fhir/metadata} is
 * open, as SMART requires. The scopes a request was granted travel with it (request attribute
 * {@link #GRANTED_SCOPES}), so that an endpoint can show less where a scope is missing.
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
            String type = resourceType(path);
            Scopes.Operation operation = operation(request.getMethod(), path);
            allowed = Scopes.allows(scopes, type, operation);
            needed = "system/" + type + "." + operation.letter() + " (or ." + (operation.writes() ? "write"
                    : "read") + ")";
        }
        request.setAttribute(GRANTED_SCOPES, Set.copyOf(scopes));
        if (!allowed) {
            return refuse(HttpStatus.FORBIDDEN, "insufficient_scope", "the token's scopes " + scopes + " do not include "
                    + needed);
        }
        return null;
    }

    /**
     * The SMART v2 operation of a request: GET/HEAD of {@code Type/id} reads, of {@code Type} searches; POST creates
     * (the upload, a resource, a Bundle, {@code $diagnose}, which stores the ECG it diagnoses) unless it is a
     * {@code _search}; PUT and PATCH update; DELETE deletes.
     */
    static Scopes.Operation operation(HttpMethod method, String path) {
        String[] parts = path.split("\\?", 2)[0].split("/");
        boolean instance = parts.length >= 4 && path.startsWith("/fhir/") && !parts[3].startsWith("$")
                && !parts[3].startsWith("_");
        return switch (method) {
            case GET, HEAD -> instance ? Scopes.Operation.READ : Scopes.Operation.SEARCH;
            case POST -> path.endsWith("/_search") ? Scopes.Operation.SEARCH : Scopes.Operation.CREATE;
            case PUT, PATCH -> Scopes.Operation.UPDATE;
            case DELETE -> Scopes.Operation.DELETE;
            default -> Scopes.Operation.UPDATE;
        };
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
