package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tamer.gateway.testing.LocalJwks;

/**
 * An authorization server whose JWKS answers after 2 s, as one does on a loaded machine: the gateway's verifier
 * waits for it (Nimbus's default timeouts of 500 ms refused every token until the keys were cached).
 */
class SlowJwksTest {

    @Test
    void aJwksThatAnswersInTwoSecondsStillVerifiesTokens() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("slow-1").generate();
        try (LocalJwks jwks = new LocalJwks(new JWKSet(key), Duration.ofSeconds(2))) {
            TokenVerifier verifier = TokenVerifier.ofUrl(jwks.url(), Optional.of("https://idp.test"),
                    Optional.of("tamer-gateway"));
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("slow-1").build(),
                    new JWTClaimsSet.Builder().issuer("https://idp.test").audience("tamer-gateway").subject("cart")
                            .claim("scope", "system/Observation.rs").issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(300))).build());
            jwt.sign(new RSASSASigner(key));
            assertEquals(Set.of("system/Observation.rs"), verifier.verify(jwt.serialize()));
            assertEquals(1, jwks.fetches());
        }
    }
}
