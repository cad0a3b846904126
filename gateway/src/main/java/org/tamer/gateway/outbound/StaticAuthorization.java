package org.tamer.gateway.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/** A fixed credential: a bearer token issued out of band, or HTTP basic (RFC 7617) user and password. */
public final class StaticAuthorization implements OutboundAuthorization {

    private final String header;
    private final String description;

    private StaticAuthorization(String header, String description) {
        this.header = header;
        this.description = description;
    }

    public static StaticAuthorization bearer(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("a bearer token must be non-empty printable ASCII without spaces");
        }
        return new StaticAuthorization("Bearer " + token, "a static bearer token");
    }

    public static StaticAuthorization basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an HTTP basic user name must be non-empty and contain no ':'");
        }
        String pair = username + ":" + password;
        return new StaticAuthorization("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(
                StandardCharsets.UTF_8)), "HTTP basic as user '" + username + "'");
    }

    @Override
    public Optional<String> header() {
        return Optional.of(header);
    }

    @Override
    public String describe() {
        return description;
    }
}
