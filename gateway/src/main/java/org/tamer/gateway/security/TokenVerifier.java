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
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks OAuth2 bearer JWTs: RS256/RS384/ES256 signature against a JWKS (a URL, fetched and cached, or a fixed key
 * set), expiry, issuer and audience when configured, and the token's lifetime: a token valid for longer than
 * {@link #DEFAULT_MAX_LIFETIME} (or the configured cap), counted from its {@code iat} or from now, is refused, as is
 * one issued in the future. Returns the granted scopes ({@code scope} as a space-separated string, or {@code scp}
 * as a list).
 */
public final class TokenVerifier {

    /** The longest lifetime accepted by default: a stolen token is useful for an hour at most. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(1);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /**
     * Connect and read timeout of a JWKS fetch. Nimbus's default (500 ms each) refused every token while a loaded
     * machine took longer to answer; a hung authorization server is still cut off.
     */
    public static final Duration JWKS_TIMEOUT = Duration.ofSeconds(10);
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration maxLifetime;

    private TokenVerifier(JWKSource<SecurityContext> keys, Optional<String> issuer, Optional<String> audience,
                          Duration maxLifetime) {
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("the maximum token lifetime must be positive, got " + maxLifetime);
        }
        this.maxLifetime = maxLifetime;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384), keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        issuer.ifPresent(exact::issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience.orElse(null), exact.build(),
                Set.of("exp")));
    }

    public static TokenVerifier ofUrl(String jwksUrl, Optional<String> issuer, Optional<String> audience) {
        return ofUrl(jwksUrl, issuer, audience, DEFAULT_MAX_LIFETIME);
    }

    /** Keys from {@code jwksUrl} (fetched and cached); tokens valid for longer than {@code maxLifetime} refused. */
    public static TokenVerifier ofUrl(String jwksUrl, Optional<String> issuer, Optional<String> audience,
                                      Duration maxLifetime) {
        try {
            int timeout = (int) JWKS_TIMEOUT.toMillis();
            return new TokenVerifier(JWKSourceBuilder.create(URI.create(jwksUrl).toURL(),
                    new DefaultResourceRetriever(timeout, timeout, JWKS_SIZE_LIMIT)).build(), issuer, audience,
                    maxLifetime);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tamer.security.jwks-url '" + jwksUrl + "' is not a URL", e);
        }
    }

    public static TokenVerifier ofKeys(JWKSet keys, Optional<String> issuer, Optional<String> audience) {
        return ofKeys(keys, issuer, audience, DEFAULT_MAX_LIFETIME);
    }

    /** A fixed key set; tokens valid for longer than {@code maxLifetime} refused. */
    public static TokenVerifier ofKeys(JWKSet keys, Optional<String> issuer, Optional<String> audience,
                                       Duration maxLifetime) {
        return new TokenVerifier(new ImmutableJWKSet<>(keys), issuer, audience, maxLifetime);
    }

    /**
     * @return the granted scopes
     * @throws InvalidTokenException naming why the token is refused
     */
    public Set<String> verify(String token) {
        return check(token).scopes();
    }

    /** A token that passed: who it was issued to ({@code sub}, or {@code client_id}) and what it grants. */
    public record Verified(String subject, Set<String> scopes) {
    }

    /**
     * @return the token's subject and granted scopes
     * @throws InvalidTokenException naming why the token is refused
     */
    public Verified check(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is not a JWT: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("the bearer token is not valid: " + e.getMessage());
        }
        Instant now = Instant.now();
        Instant expires = claims.getExpirationTime().toInstant();
        Instant issued = claims.getIssueTime() == null ? now : claims.getIssueTime().toInstant();
        if (issued.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the bearer token is issued in the future (iat " + issued + ")");
        }
        if (Duration.between(issued.isBefore(now) ? issued : now, expires).compareTo(maxLifetime) > 0) {
            throw new InvalidTokenException("the bearer token is valid for longer than the " + maxLifetime
                    + " this gateway accepts (exp " + expires + ")");
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
        String subject = claims.getSubject() != null ? claims.getSubject()
                : claims.getClaim("client_id") instanceof String id ? id : "(no subject)";
        return new Verified(subject, Set.copyOf(scopes));
    }

    /** A refused token. */
    public static final class InvalidTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
