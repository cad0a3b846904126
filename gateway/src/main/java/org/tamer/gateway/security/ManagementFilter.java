package org.tamer.gateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;
import java.util.Set;
import org.tamer.gateway.http.OperationOutcomes;
import org.tamer.gateway.outbound.JwksController;

/**
 * Locks everything the {@link BearerTokenFilter} does not guard: the management endpoints ({@code /health} with
 * details, {@code /prometheus}, and any other Micronaut endpoint an operator enables) and any path added later.
 * Deny by default: only {@link #ANONYMOUS} and the console's static page ({@link #CONSOLE}) answer without a
 * token, and the rest needs a bearer token with
 * {@link Scopes#OPERATIONS}. A token that passes becomes the request's principal, so that {@code /health} shows its
 * details (configured {@code details-visible: AUTHENTICATED}) to operators only.
 */
@ServerFilter("/**")
public final class ManagementFilter {

    /**
     * Paths open to anyone: the probes of the orchestrator (status only, no details) and the gateway's public SMART
     * client keys. {@code /fhir/metadata} is opened by {@link BearerTokenFilter}, as SMART requires.
     */
    public static final Set<String> ANONYMOUS = Set.of("/health/liveness", "/health/readiness", JwksController.PATH);

    /**
     * The operator console's static page under {@code /console} (GET and HEAD only): it holds no data and asks
     * {@code /admin} with the operator's bearer token for everything it shows.
     */
    public static final String CONSOLE = "/console";

    /** Guarded by {@link BearerTokenFilter} with SMART and admin scopes. */
    private static final Set<String> RESOURCE_PREFIXES = Set.of("/fhir", "/admin", "/upload");

    private final Optional<TokenVerifier> verifier;
    private final OperationOutcomes outcomes;

    public ManagementFilter(BearerTokenFilter.Policy policy, OperationOutcomes outcomes) {
        this.verifier = policy.verifier();
        this.outcomes = outcomes;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String path = request.getPath();
        if (verifier.isEmpty() || ANONYMOUS.contains(path) || guardedElsewhere(path) || staticConsole(request)) {
            return null;
        }
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(HttpStatus.UNAUTHORIZED, "invalid_request", "a bearer token with scope " + Scopes.OPERATIONS
                    + " is required");
        }
        TokenVerifier.Verified token;
        try {
            token = verifier.get().check(header.get().substring(7).trim());
        } catch (TokenVerifier.InvalidTokenException e) {
            return refuse(HttpStatus.UNAUTHORIZED, "invalid_token", e.getMessage());
        }
        if (!token.scopes().contains(Scopes.OPERATIONS)) {
            return refuse(HttpStatus.FORBIDDEN, "insufficient_scope", "the token's scopes " + token.scopes()
                    + " do not include " + Scopes.OPERATIONS);
        }
        String subject = token.subject();
        request.setUserPrincipal(() -> subject);
        return null;
    }

    private static boolean staticConsole(HttpRequest<?> request) {
        String path = request.getPath();
        boolean read = request.getMethod() == io.micronaut.http.HttpMethod.GET
                || request.getMethod() == io.micronaut.http.HttpMethod.HEAD;
        return read && (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/"));
    }

    private static boolean guardedElsewhere(String path) {
        for (String prefix : RESOURCE_PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private MutableHttpResponse<String> refuse(HttpStatus status, String error, String description) {
        return outcomes.response(status, status == HttpStatus.UNAUTHORIZED ? "login" : "forbidden", description)
                .header("WWW-Authenticate", "Bearer error=\"" + error + "\", error_description=\""
                        + description.replace('"', '\'') + "\", scope=\"" + Scopes.OPERATIONS + "\"");
    }
}
