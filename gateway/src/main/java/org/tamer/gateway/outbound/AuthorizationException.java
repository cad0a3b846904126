package org.tamer.gateway.outbound;

import java.net.URI;
import java.util.Optional;

/**
 * No credential could be obtained for a destination. {@link #isPermanent()} is true when trying again cannot help
 * until someone changes the configuration or the registration at the authorization server (an OAuth error such
 * as {@code invalid_client}: the client's key was revoked or has expired, or the client is unknown); false for
 * transient failures (a 5xx or 429 from the token endpoint, {@code temporarily_unavailable}, a timeout, a
 * connection refused). The message names the endpoint and the OAuth error with its description; it never
 * contains a token, an assertion or a key.
 */
public final class AuthorizationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final URI endpoint;
    private final boolean permanent;
    private final String oauthError;

    public AuthorizationException(URI endpoint, boolean permanent, String oauthError, String message,
                                  Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.permanent = permanent;
        this.oauthError = oauthError;
    }

    /** The token or discovery endpoint that failed. */
    public URI endpoint() {
        return endpoint;
    }

    public boolean isPermanent() {
        return permanent;
    }

    /** The OAuth 2 {@code error} code (RFC 6749 section 5.2), when the endpoint sent one. */
    public Optional<String> oauthError() {
        return Optional.ofNullable(oauthError);
    }
}
