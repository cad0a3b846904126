package org.tamer.gateway.outbound;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a destination's credential on the requests of a HAPI FHIR client (the {@code fhir-poll} route's camel-fhir
 * client). A 401 drops a renewable token, so that the next request (the next poll, which resumes from the last
 * stored page) carries a new one. When no credential can be obtained the request fails with
 * {@link CredentialUnavailable}, whose cause names the endpoint and the OAuth error.
 */
public final class HapiClientAuthorization implements IClientInterceptor {

    private final OutboundAuthorization authorization;
    private volatile String lastHeader;

    public HapiClientAuthorization(OutboundAuthorization authorization) {
        this.authorization = Objects.requireNonNull(authorization, "authorization");
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        Optional<String> header;
        try {
            header = authorization.header();
        } catch (AuthorizationException e) {
            throw new CredentialUnavailable(e);
        }
        header.ifPresent(value -> {
            request.removeHeaders("Authorization");
            request.addHeader("Authorization", value);
            lastHeader = value;
        });
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        String sent = lastHeader;
        if (response.getStatus() == 401 && sent != null) {
            authorization.rejected(sent);
        }
    }

    /** No credential could be obtained for a request; the cause says why. */
    public static final class CredentialUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CredentialUnavailable(AuthorizationException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
