package org.tamer.gateway.outbound;

import java.util.Optional;

/**
 * The {@code Authorization} header a destination needs, if any. Implementations are thread-safe; a caller that
 * gets 401 with a header reports it through {@link #rejected(String)} and asks again once.
 */
public interface OutboundAuthorization {

    /** No authorization header. */
    OutboundAuthorization NONE = new OutboundAuthorization() {
        @Override
        public Optional<String> header() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "no authorization";
        }
    };

    /**
     * @return the value of the {@code Authorization} header, e.g. {@code Bearer eyJ…}
     * @throws AuthorizationException when no credential could be obtained (a token endpoint refused or failed)
     */
    Optional<String> header() throws AuthorizationException;

    /**
     * The destination answered 401 to a request carrying {@code header}: a cached credential is dropped so that the
     * next {@link #header()} obtains a new one. Static credentials cannot be renewed and ignore this.
     */
    default void rejected(String header) {
    }

    /** Whether {@link #rejected(String)} can produce a different credential, i.e. whether a retry can help. */
    default boolean renewable() {
        return false;
    }

    /** For logs: the kind of credential and where it comes from, never the secret. */
    String describe();
}
