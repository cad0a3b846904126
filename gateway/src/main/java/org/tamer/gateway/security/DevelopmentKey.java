package org.tamer.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The zero-configuration signing key: when no JWKS is configured, the gateway creates an RSA key in its data folder
 * (readable by its own user only) and trusts tokens signed with it, so that the README's demo can call the
 * protected FHIR endpoints from the same machine. Production configures {@code tamer.security.jwks-url}.
 */
public final class DevelopmentKey {

    public static final String FILE = "dev-signing-key.jwk.json";
    public static final String ISSUER = "tamer-gateway-development";

    private final RSAKey key;

    private DevelopmentKey(RSAKey key) {
        this.key = key;
    }

    /**
     * Loads the key a running gateway created in {@code dataDirectory} (its {@code tamer.work-dir}).
     *
     * @throws IllegalStateException naming the file when there is none (the gateway has not run with that folder)
     */
    public static DevelopmentKey load(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no development signing key at " + file.toAbsolutePath() + ": start the "
                    + "gateway first (it creates the key in its tamer.work-dir when no JWKS is configured), or point "
                    + "at its work folder");
        }
        return loadOrCreate(dataDirectory);
    }

    /** Loads the key from {@code dataDirectory}, creating it on first use. */
    public static DevelopmentKey loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new DevelopmentKey(RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
            Files.createDirectories(dataDirectory);
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            Path temporary = Files.createTempFile(dataDirectory, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions apply
            }
            Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new DevelopmentKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development signing key " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("development signing key " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** A token with {@code scopes}, valid for {@code lifetime}. */
    public String token(String subject, String scopes, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject).claim("scope", scopes)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }
}
