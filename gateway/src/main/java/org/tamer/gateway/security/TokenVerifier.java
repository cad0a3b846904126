package org.tamer.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks OAuth2 bearer JWTs: RS256/RS384/ES256 signature against a JWKS (a URL, fetched and cached, or a fixed key
 * set), expiry, and issuer and audience when configured. Returns the granted scopes ({@code scope} as a
 * space-separated string, or {@code scp} as a list).
 */
public final class TokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private TokenVerifier(JWKSource<SecurityContext> keys, Optional<String> issuer, Optional<String> audience) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384), keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        issuer.ifPresent(exact::issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience.orElse(null), exact.build(),
                Set.of("exp")));
    }

    public static TokenVerifier ofUrl(String jwksUrl, Optional<String> issuer, Optional<String> audience) {
        try {
            return new TokenVerifier(JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).build(), issuer, audience);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tamer.security.jwks-url '" + jwksUrl + "' is not a URL", e);
        }
    }

    public static TokenVerifier ofKeys(JWKSet keys, Optional<String> issuer, Optional<String> audience) {
        return new TokenVerifier(new ImmutableJWKSet<>(keys), issuer, audience);
    }

    /**
     * @return the granted scopes
     * @throws InvalidTokenException naming why the token is refused
     */
    public Set<String> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is not a JWT: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("the bearer token is not valid: " + e.getMessage());
        }
        Set<String> scopes = new HashSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String s) {
            scopes.addAll(List.of(s.trim().split("\\s+")));
        }
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) {
            list.forEach(o -> scopes.add(String.valueOf(o)));
        }
        return scopes;
    }

    /** A refused token. */
    public static final class InvalidTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
